"""Database tests: the official datasets are loaded once into the test database."""

import pytest

from vigia import server


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        server.load_all()


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("jefa", "jefa@example.pe", None)  # no hashing: fast
    client.force_login(user)
    return client
