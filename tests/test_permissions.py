"""Who may see and do what, for every pair of roles: the patient, her caregiver, a stranger,
and a caregiver of another patient."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.pure.permissions import Act, Role, See, may_accept, may_do, may_see, role_of
from db.caregivers import SWITCHES, Link

PATIENT, CAREGIVER, STRANGER, OTHER_PATIENT, OTHER_CAREGIVER = 1, 2, 3, 4, 5
HER_LINK = Link(patient=PATIENT, caregiver=CAREGIVER)
OTHER_LINK = Link(patient=OTHER_PATIENT, caregiver=OTHER_CAREGIVER)

# (viewer, the link that viewer would present, expected role towards PATIENT)
VIEWERS = [
    pytest.param(PATIENT, None, Role.PATIENT, id="patient"),
    pytest.param(CAREGIVER, HER_LINK, Role.CAREGIVER, id="her-caregiver"),
    pytest.param(STRANGER, None, Role.STRANGER, id="stranger"),
    pytest.param(OTHER_CAREGIVER, OTHER_LINK, Role.STRANGER, id="other-patients-caregiver"),
    pytest.param(STRANGER, HER_LINK, Role.STRANGER, id="stranger-with-her-link"),
]


@pytest.mark.parametrize(("viewer", "link", "role"), VIEWERS)
def test_role_of_every_viewer(viewer: int, link: Link | None, role: Role) -> None:
    assert role_of(viewer, PATIENT, link) is role


# With the default switches a caregiver gets alerts, summaries and scan notes, never the diary.
SEES = {
    Role.PATIENT: set(See),
    Role.CAREGIVER: {See.MISSED_DOSE, See.WEEKLY, See.BONESCAN},
    Role.STRANGER: set(),
}
DOES = {
    Role.PATIENT: set(Act),
    Role.CAREGIVER: {Act.END_LINK},
    Role.STRANGER: set(),
}


@pytest.mark.parametrize(("viewer", "link", "role"), VIEWERS)
@pytest.mark.parametrize("what", list(See))
def test_what_each_role_sees(viewer: int, link: Link | None, role: Role, what: See) -> None:
    assert may_see(viewer, PATIENT, link, what) is (what in SEES[role])


@pytest.mark.parametrize(("viewer", "link", "role"), VIEWERS)
@pytest.mark.parametrize("act", list(Act))
def test_what_each_role_may_do(viewer: int, link: Link | None, role: Role, act: Act) -> None:
    assert may_do(viewer, PATIENT, link, act) is (act in DOES[role])


def test_the_diary_only_when_the_patient_turns_it_on() -> None:
    shared = Link(patient=PATIENT, caregiver=CAREGIVER, diary=True)
    assert may_see(CAREGIVER, PATIENT, shared, See.DIARY)
    assert not may_see(CAREGIVER, PATIENT, HER_LINK, See.DIARY)
    assert not may_do(CAREGIVER, PATIENT, shared, Act.MANAGE_CAREGIVERS)


@pytest.mark.parametrize(
    ("viewer", "allowed"),
    [(PATIENT, False), (CAREGIVER, True), (STRANGER, True), (OTHER_CAREGIVER, True)],
)
def test_anyone_but_the_patient_may_accept_her_invitation(viewer: int, allowed: bool) -> None:
    assert may_accept(viewer, PATIENT) is allowed


ids = st.integers(min_value=1, max_value=10**12)
switches = st.fixed_dictionaries({s: st.booleans() for s in SWITCHES})


@given(patient=ids, caregiver=ids, viewer=ids, on=switches)
def test_a_link_grants_exactly_its_switches_and_only_to_its_caregiver(
    patient: int, caregiver: int, viewer: int, on: dict[str, bool]
) -> None:
    link = Link(patient=patient, caregiver=caregiver, **on)
    for what in See:
        seen = may_see(viewer, patient, link, what)
        if viewer == patient:
            assert seen
        elif viewer == caregiver:
            assert seen is on[what.value]
        else:
            assert not seen
    for act in Act:
        if viewer != patient:
            assert may_do(viewer, patient, link, act) is (
                viewer == caregiver and act is Act.END_LINK
            )


@given(patient=ids, other=ids, caregiver=ids, on=switches)
def test_a_link_for_one_patient_grants_nothing_about_another(
    patient: int, other: int, caregiver: int, on: dict[str, bool]
) -> None:
    if other in (patient, caregiver):
        return
    link = Link(patient=patient, caregiver=caregiver, **on)
    assert not any(may_see(caregiver, other, link, what) for what in See)
    assert not any(may_do(caregiver, other, link, act) for act in Act)
