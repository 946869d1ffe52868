from jixing.nominations.domain import facts, transitions
from jixing.nominations.enums import RELEASED_STATES
from jixing.nominations.enums import NominationState as S


def test_state_groups_are_the_enums_own():
    assert S.released_states() == {S.WITHDRAWN, S.REJECTED}
    assert S.editable_states() == {S.DRAFT, S.RETURNED, S.AWAITING_UNIT}
    assert S.unranked_states() == {S.WITHDRAWN, S.REJECTED, S.DRAFT, S.AWAITING_UNIT, S.RETURNED}
    assert S.submitted_list_states() == {
        S.RECOMMENDED,
        S.SELECTED,
        S.NOT_SELECTED,
        S.PUBLISHED,
        S.APPROVED,
        S.COMMENDED,
    }
    assert S.listed_states() == S.submitted_list_states() | {S.WITHDRAWN}
    assert S.selected_states() == {S.SELECTED, S.PUBLISHED, S.APPROVED, S.COMMENDED}


def test_state_groups_unit_place_is_everything_sent_up_and_not_released():
    assert S.unit_place_states() == set(S) - S.released_states() - {S.DRAFT, S.AWAITING_UNIT}
    assert S.selected_states() < S.submitted_list_states() < S.unit_place_states()


def test_state_groups_old_names_are_the_same_sets():
    assert RELEASED_STATES is S.released_states()
    assert facts.SELECTED_STATES is S.selected_states()
    assert transitions.ON_SUBMITTED_LIST is S.submitted_list_states()
