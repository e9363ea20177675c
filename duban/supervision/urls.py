from django.urls import path

from . import bulk, bulk_edit, channel_views, extension_views, reply_views, round_views, views

app_name = "supervision"
urlpatterns = [
    path("targets/new/", views.register, name="register"),
    path("targets/bulk/", bulk.bulk_step, name="bulk"),
    path("targets/bulk/edit/", bulk_edit.bulk_edit, name="bulk_edit"),
    path("targets/<int:pk>/approve/", views.approve, name="approve"),
    path("targets/<int:pk>/assign/", views.assign, name="assign"),
    path("targets/<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("targets/<int:pk>/report/", views.report, name="report"),
    path("targets/<int:pk>/contribute/", views.contribute, name="contribute"),
    path("targets/<int:pk>/close/", views.close, name="close"),
    path("targets/<int:pk>/split/", views.split, name="split"),
    path("targets/<int:pk>/publish/", views.publish, name="publish"),
    path("targets/<int:pk>/unpublish/", views.unpublish, name="unpublish"),
    path("targets/<int:pk>/carry-over/", views.carry_over, name="carry_over"),
    path("targets/<int:pk>/chase/", views.chase, name="chase"),
    path("reports/<int:pk>/review/", views.review, name="review"),
    path(
        "targets/<int:pk>/extension/", extension_views.request_extension, name="request_extension"
    ),
    path("extensions/<int:pk>/decide/", extension_views.decide_extension, name="decide_extension"),
    path(
        "extensions/<int:pk>/withdraw/",
        extension_views.withdraw_extension,
        name="withdraw_extension",
    ),
    path("targets/<int:pk>/instruct/", extension_views.instruct, name="instruct"),
    path("instructions/new/", extension_views.register_instruction, name="register_instruction"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
    path("rounds/", round_views.round_list, name="rounds"),
    path("rounds/<str:period>/", round_views.round_detail, name="round"),
    path("rounds/<str:period>/send/", round_views.send, name="round_send"),
    path(
        "rounds/<str:period>/forms/<int:unit>.<str:fmt>",
        round_views.unit_form,
        name="round_unit_form",
    ),
    path("rounds/<str:period>/forms.<str:fmt>.zip", round_views.all_forms, name="round_forms"),
    path("channels/", channel_views.channel_list, name="channels"),
    path("channels/<int:pk>/", channel_views.channel_edit, name="channel_edit"),
    path("channels/<int:pk>/delete/", channel_views.channel_delete, name="channel_delete"),
    path("channels/<int:pk>/test/", channel_views.channel_test, name="channel_test"),
    path("replies/upload/", reply_views.upload, name="reply_upload"),
    path("replies/form/<str:period>.<str:fmt>", reply_views.own_form, name="reply_own_form"),
    path("replies/<int:pk>/", reply_views.preview, name="reply_preview"),
    path("replies/<int:pk>/confirm/", reply_views.confirm, name="reply_confirm"),
    path("replies/<int:pk>/discard/", reply_views.discard, name="reply_discard"),
]
