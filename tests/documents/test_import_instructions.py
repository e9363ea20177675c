"""`duban import --source instruction`: an instruction document (批示件) read in becomes
targets of source 领导批示, each with the leader, the deadline and the leader's instruction."""

import datetime
import io

import pytest
from django.core.management import call_command

from duban.organisations.models import Person
from duban.supervision.models import Instruction
from duban.targets.models import Target

pytestmark = pytest.mark.django_db

DOCUMENT = """青溪市领导批示件办理事项

1.请市科技局加快推进云台县科创飞地建设，月底前报送进展。
2.请市科技局会同市财政局研究科技金融支持政策。
"""


def test_an_instruction_document_by_import(tmp_path, file_storage):
    leader = Person.objects.create(name="陈明", title="副市长", role=Person.Role.LEADER)
    path = tmp_path / "批示件.txt"
    path.write_text(DOCUMENT, encoding="utf-8")
    call_command(
        "import",
        str(path),
        "--source",
        "instruction",
        "--leader",
        "陈明",
        "--deadline",
        "2026-12-31",
        "--year",
        "2026",
        stdout=io.StringIO(),
    )
    targets = Target.objects.filter(parent__isnull=True).order_by("pk")
    assert targets.count() == 2
    for target in targets:
        assert target.source_category == "instruction"
        assert target.leader == leader
        assert target.deadline == datetime.date(2026, 12, 31)
        instruction = Instruction.objects.get(target=target)
        assert instruction.leader == leader and instruction.origin == "document"
        assert instruction.text == target.text
    assert "科创飞地" in Instruction.objects.order_by("pk").first().text


def test_other_sources_keep_no_instruction(tmp_path, file_storage):
    Person.objects.create(name="陈明", role=Person.Role.LEADER)
    path = tmp_path / "要点.txt"
    path.write_text(DOCUMENT.replace("领导批示件办理事项", "科技工作要点"), encoding="utf-8")
    call_command(
        "import",
        str(path),
        "--source",
        "work_plan",
        "--leader",
        "陈明",
        "--year",
        "2026",
        stdout=io.StringIO(),
    )
    assert Target.objects.exists()
    assert not Instruction.objects.exists()
