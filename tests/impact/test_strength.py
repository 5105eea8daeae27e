"""The strength rules, each level from a made-up chain (no database)."""

from jigsaw.impact.strength import Movement, Signal, Strength, rate, weakest


def test_nothing_linked_is_none_and_says_so():
    rating = rate([])
    assert rating.strength is Strength.NONE
    assert rating.gaps == ["No evidence is linked to this outcome."]


def test_linked_records_that_show_nothing_in_the_year_are_none_with_their_own_gaps():
    rating = rate([Signal("DA-2", gaps=["DA-2 has no figure for 2024-25."])])
    assert rating.strength is Strength.NONE
    assert rating.gaps[0] == "DA-2 has no figure for 2024-25."


def test_training_delivered_and_actions_raised_without_a_measure_are_activity_only():
    chain = [
        Signal("Domestic abuse awareness: knowledge", activity=True, findings=["240 completions in 2024-25."]),
        Signal("Actions of priority 1", activity=True, gaps=["3 of the priority's actions are not completed."]),
    ]
    rating = rate(chain)
    assert rating.strength is Strength.ACTIVITY
    assert "3 of the priority's actions are not completed." in rating.gaps
    assert rating.gaps[-1].startswith("Only activity")


def test_a_reading_with_no_comparison_is_outcome_measured():
    chain = [
        Signal("Training", activity=True),
        Signal("Voices", measured=True, findings=["4 voices heard."]),
        Signal(
            "DA-2",
            measured=True,
            movement=Movement.UNKNOWN,
            gaps=["DA-2 has no figure a year earlier to compare with."],
        ),
    ]
    rating = rate(chain)
    assert rating.strength is Strength.MEASURED
    assert rating.gaps[-1] == "Measured, but no measure shows the outcome improving yet."


def test_a_measure_improving_and_none_worse_is_outcome_improving():
    chain = [
        Signal("Training", activity=True),
        Signal("DA-2", measured=True, movement=Movement.IMPROVING),
        Signal("Voices", measured=True),
    ]
    assert rate(chain).strength is Strength.IMPROVING


def test_one_measure_getting_worse_holds_the_outcome_at_measured_and_names_it():
    chain = [
        Signal("Knowledge", measured=True, movement=Movement.IMPROVING),
        Signal("DA-3 repeat incidents", measured=True, movement=Movement.WORSENING),
    ]
    rating = rate(chain)
    assert rating.strength is Strength.MEASURED
    assert "Getting worse: DA-3 repeat incidents." in rating.gaps


def test_an_activity_signal_that_claims_improvement_without_a_reading_does_not_count():
    assert rate([Signal("Training", activity=True, movement=Movement.IMPROVING)]).strength is Strength.ACTIVITY


def test_a_priority_is_as_strong_as_its_weakest_outcome():
    assert weakest([Strength.IMPROVING, Strength.ACTIVITY, Strength.MEASURED]) is Strength.ACTIVITY
    assert weakest([]) is Strength.NONE
