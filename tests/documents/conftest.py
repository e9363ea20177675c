import pytest


@pytest.fixture(autouse=True)
def storage(file_storage):
    """Uploaded and stored files go to a temporary directory, not the data directory."""
    return file_storage


@pytest.fixture
def office(client, office_user):
    """A client signed in as office staff, who import documents."""
    client.force_login(office_user)
    return client
