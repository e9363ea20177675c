import pytest
from django.core.exceptions import ValidationError

from duban.organisations.models import Organisation, Person, is_office_staff, person_of


def test_find_by_name_accepts_short_names_aliases_and_line_breaks(city):
    assert Organisation.find_by_name("白沙市科学技术局") == city["bureau"]
    assert Organisation.find_by_name("市科技局") == city["bureau"]
    assert Organisation.find_by_name("市工业和信息\n化局") == city["industry"]
    assert Organisation.find_by_name("市教育局") is None
    assert Organisation.find_by_name("   ") is None


def test_parent_cannot_be_lower_in_the_hierarchy(city):
    county = Organisation.objects.create(
        name="白沙县人民政府", level=3, kind="government", parent=city["gov"]
    )
    city["finance"].parent = county
    with pytest.raises(ValidationError) as error:
        city["finance"].full_clean()
    assert "上级单位的层级不能低于本单位" in str(error.value)


def test_parent_cannot_make_a_cycle(city):
    city["gov"].parent = city["bureau"]
    with pytest.raises(ValidationError) as error:
        city["gov"].full_clean()
    assert "不能是本单位或其下级单位" in str(error.value)


def test_ancestors_and_descendants(city):
    county = Organisation.objects.create(name="白沙县科技局", level=3, parent=city["bureau"])
    assert county.ancestors() == [city["bureau"], city["gov"]]
    assert city["gov"].descendant_ids() == {
        city["bureau"].pk,
        city["finance"].pk,
        city["industry"].pk,
        county.pk,
    }


def test_unit_reporter_must_belong_to_a_unit(db):
    person = Person(name="无单位", role=Person.Role.UNIT)
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert "必须属于一个单位" in str(error.value)


def test_roles(office_user, bureau_user, leader_user, django_user_model):
    assert is_office_staff(office_user)
    assert not is_office_staff(bureau_user)
    assert not is_office_staff(leader_user)
    assert person_of(bureau_user).role == Person.Role.UNIT
    nobody = django_user_model.objects.create_user("nobody", password="x")
    assert person_of(nobody) is None
    assert not is_office_staff(nobody)
