"""Contract test of the public API: schemathesis generates requests from /api/openapi.json (valid
and invalid ones) and sends them to the WSGI application in-process. No answer may be a server
error, and every answer must be one of the documented responses, with the documented shape."""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from vigia.wsgi import application

PLANS = ["pnp2030", "pei-inpe", "pp-creo"]
INDICATORS = ["IOP.01.01", "IOP.02.01", "ISS.02.01.01.01", "OEI.01.01"]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance, negative_data_rejection]

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application).include(path_regex=r"^/api/publico/")


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Most requests name a plan (and indicator) that exists, so the answers are real data and not
    only 404s; the rest keep whatever schemathesis generated."""
    if not path_parameters or "plan" not in path_parameters:
        return st.just(path_parameters)
    plans = st.sampled_from(PLANS) | st.just(path_parameters["plan"])
    codes = st.sampled_from(INDICATORS) | st.just(path_parameters.get("code"))
    return st.tuples(plans, codes).map(
        lambda pc: {**path_parameters, "plan": pc[0], **({"code": pc[1]} if "code" in path_parameters else {})}
    )


@pytest.fixture
def keep_test_connection():
    """Requests go through the real WSGI handler, whose request signals close a connection that is
    inside a transaction: the test's. Django's test client disconnects them too."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_the_schema_covers_every_public_operation():
    operations = [op.ok().path for op in schema.get_all_operations()]
    assert len(operations) == 12 and all(p.startswith(("/api/publico/planes", "/api/publico/registro")) for p in operations)


@pytest.fixture
def with_registry(settings, kept):
    """The registry's operations answer with the hand-checkable extract, not only «none imported»."""
    settings.DATA_DIR = kept


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_test_connection", "with_registry")
@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_public_api_honours_its_contract(case):
    case.call_and_validate(checks=CHECKS)


# The write API (issue 9): the same contract, with a token and a campaign to write to ------------------

entry_schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application).include(path_regex=r"^/api/campanas/")


@pytest.fixture
def bearer(people, campaign):
    from vigia.reporting import tokens

    return {"Authorization": f"Bearer {tokens.create(people['op_inpe'])}"}, campaign


def test_the_schema_covers_the_write_operations():
    operations = sorted((op.ok().method.upper(), op.ok().path) for op in entry_schema.get_all_operations())
    assert operations == [("GET", "/api/campanas/"), ("GET", "/api/campanas/{campaign_id}/reportes/"),
                          ("POST", "/api/campanas/{campaign_id}/reportes/")]


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="on PostgreSQL the in-process WSGI calls lose the test's "
                    "connection once a request reaches the database; the write API's own tests (test_entry_api) run there")
@pytest.mark.django_db
@pytest.mark.usefixtures("keep_test_connection")
@entry_schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_write_api_honours_its_contract(case, bearer):
    headers, campaign = bearer
    generated = (case.path_parameters or {}).get("campaign_id")
    if isinstance(generated, int) and generated >= 1 and generated % 2 == 0:
        case.path_parameters["campaign_id"] = campaign.pk  # half the well-formed requests reach a real campaign
    if "Authorization" in (case.headers or {}):
        headers = {}  # schemathesis is trying a malformed token: keep it
    case.call_and_validate(headers=headers, checks=CHECKS)
