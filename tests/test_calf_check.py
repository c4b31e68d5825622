"""The calf-pain check: ECQ scoring as published, the patterns and their tiers, what is asked."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.domain.calf_check import (
    QUESTIONS,
    CheckContext,
    Pattern,
    RiskFactor,
    evaluate,
    next_question,
    parse_pairs,
    run_interview,
    score_ecq,
)
from tracker.domain.clinical import Tier
from tracker.domain.validation import ValidationError, ValidationErrors
from tracker.domain.wording import check_advice, check_lines

SITES = ("calf", "thigh", "buttock", "shin", "foot", "hamstring", "joint")
SITE_CHOICES = [
    frozenset(c) for n in range(1, len(SITES) + 1) for c in itertools.combinations(SITES, n)
]
Q1 = ("yes", "no", "unable")
Q2 = ("yes", "no")
Q3 = ("yes", "no", "never")
Q4 = ("yes", "no")
Q5 = ("continues", "within-10-min")


def published_ecq(
    q1: str, q2: str, q3: str, q4: str, q5: str, sites: frozenset[str]
) -> tuple[bool, int | None, str | None]:
    """Leng & Fowkes 1992, from the paper's text: "A positive classification requires all of
    the following responses: 'Yes' to (1), 'No' to (2), 'Yes' to (3) and 'Usually disappears in
    10 minutes or less' to (5). Grade 1 = 'No' to (4); grade 2 = 'Yes' to (4). Definite
    claudicant: pain in the calf, regardless of other sites; atypical: pain in the thigh or
    buttock in the absence of calf pain; not claudication: hamstrings, feet, shins or joints
    without calf pain.\""""
    requirements = [q1 == "yes", q2 == "no", q3 == "yes", q5 == "within-10-min"]
    if False in requirements:
        return (False, None, None)
    if "calf" in sites:
        site_class = "definite"
    elif not sites.isdisjoint({"thigh", "buttock"}):
        site_class = "atypical"
    else:
        return (False, None, None)
    return (True, {"no": 1, "yes": 2}[q4], site_class)


ALL_NO = {
    "emergency": "none",
    "swelling": "no",
    "warm_red": "no",
    "pulling": "no",
    "pressure": "no",
    "raised": "no",
    "rest_pain": "no",
    "strain": "no",
    "cramp": "no",
    "short_lived": "no",
}


def answers(**given: str | tuple[str, ...]) -> dict[str, str | tuple[str, ...]]:
    pairs: list[str] = []
    for key, value in given.items():
        values = (value,) if isinstance(value, str) else value
        pairs += [f"{key}={v}" for v in values]
    return dict(parse_pairs(pairs))


@pytest.mark.parametrize(
    ("q1", "q2", "q3", "q4", "q5"), list(itertools.product(Q1, Q2, Q3, Q4, Q5))
)
def test_ecq_scoring_matches_the_published_rule_for_every_answer_and_site(
    q1: str, q2: str, q3: str, q4: str, q5: str
) -> None:
    for sites in SITE_CHOICES:
        given = answers(ecq1=q1, ecq2=q2, ecq3=q3, ecq4=q4, ecq5=q5, ecq6=tuple(sorted(sites)))
        score = score_ecq(given)
        expected = published_ecq(q1, q2, q3, q4, q5, sites)
        got = (score.positive, score.grade, None if score.kind is None else score.kind.value)
        assert got == expected, (q1, q2, q3, q4, q5, sorted(sites))
        if q1 == "yes":  # the whole check agrees: claudication exactly when positive
            result = evaluate({**given, **answers(**ALL_NO)}, CheckContext())
            assert (result.pattern is Pattern.CLAUDICATION) == expected[0]
            assert result.ecq == score


def test_positive_ecq_reads_as_walking_related_pain_never_a_diagnosis() -> None:
    given = answers(
        ecq1="yes", ecq2="no", ecq3="yes", ecq4="yes", ecq5="within-10-min", ecq6=("calf",)
    )
    result = evaluate(
        {**given, **answers(emergency="none", swelling="no", warm_red="no")}, CheckContext()
    )
    lines = check_lines(result)
    assert (
        lines[0] == "Your answers fit the pattern of walking-related pain from narrowed arteries."
    )
    assert "positive, grade 2" in lines[1] and "definite" in lines[1]
    assert result.tier is None and not result.is_red_flag
    assert lines[-1] == "This check sorts your answers; it is not a diagnosis."
    assert not any("you have claudication" in line.lower() for line in lines)


EMERGENCY_KEYS = (
    "leg_sudden_severe_pain",
    "leg_cold_pale",
    "leg_numb_tingling",
    "leg_weak_paralysed",
    "sudden_breathlessness",
    "chest_pain",
    "coughing_blood",
)
EMERGENCY_ADVICE_START = "Symptoms like these may mean a leg artery has suddenly closed"
SAME_DAY_ADVICE_START = "Swelling, warmth or redness in one leg may point to a clot"


@pytest.mark.parametrize("sign", EMERGENCY_KEYS)
def test_every_emergency_sign_reaches_the_emergency_tier_and_overrides_the_rest(sign: str) -> None:
    given = answers(ecq1="no", emergency=sign)
    assert next_question(given, CheckContext()) is None  # nothing more is needed
    result = evaluate(given, CheckContext())
    assert result.pattern is Pattern.EMERGENCY and result.tier is Tier.EMERGENCY
    assert result.is_red_flag and sign in result.signs
    assert check_advice(result).startswith(EMERGENCY_ADVICE_START)
    assert not result.harmless


CLOT_CASES = [
    ({"swelling": "yes"}, ()),
    ({"swelling": "no", "warm_red": "yes"}, ()),
    ({"swelling": "no", "warm_red": "no", "pulling": "yes", "pressure": "yes"}, ()),
    ({"swelling": "no", "warm_red": "no", "pulling": "no", "pressure": "yes", "raised": "yes"}, ()),
    (
        {
            "swelling": "no",
            "warm_red": "no",
            "pulling": "yes",
            "pressure": "no",
            "raised": "no",
            "immobility": "recent_surgery",
        },
        (),
    ),
    (
        {"swelling": "no", "warm_red": "no", "pulling": "no", "pressure": "no", "raised": "yes"},
        ("recent_long_travel",),
    ),
]


@pytest.mark.parametrize(("clot_answers", "recorded"), CLOT_CASES)
def test_the_clot_pattern_reaches_same_day(
    clot_answers: dict[str, str], recorded: tuple[str, ...]
) -> None:
    ctx = CheckContext(recorded_immobility=recorded)
    given = answers(ecq1="no", emergency="none", **clot_answers)
    assert next_question(given, ctx) is None, "the clot pattern is decided by these answers"
    result = evaluate(given, ctx)
    assert result.pattern is Pattern.CLOT and result.tier is Tier.SAME_DAY and result.is_red_flag
    assert check_advice(result).startswith(SAME_DAY_ADVICE_START)


def test_one_clot_feature_without_immobility_is_not_the_clot_pattern() -> None:
    given = answers(
        ecq1="no", emergency="none", swelling="no", warm_red="no", pulling="yes", pressure="no"
    )
    given |= answers(raised="no", immobility="none", rest_pain="no", strain="no", cramp="no")
    given |= answers(short_lived="no")
    result = evaluate(given, CheckContext())
    assert result.pattern is Pattern.UNCLEAR and result.tier is Tier.NEXT_APPOINTMENT


def test_a_clot_names_recorded_immobility_and_risk_factors() -> None:
    ctx = CheckContext(
        recorded_immobility=("recent_long_travel",),
        risk_factors=(RiskFactor.SMOKING, RiskFactor.DIABETES, RiskFactor.HORMONAL_CONTRACEPTION),
    )
    result = evaluate(answers(ecq1="no", emergency="none", swelling="yes"), ctx)
    advice = check_advice(result)
    assert "long journey recently (flight, car, train)" in advice
    assert "current smoking, diabetes, hormonal contraception (the pill)" in advice
    assert "one calf, ankle or leg swollen" in check_lines(result)[0]


def test_recorded_immobility_is_not_asked_again() -> None:
    one_feature = answers(
        ecq1="no", emergency="none", swelling="no", warm_red="no", pulling="yes", pressure="no"
    ) | answers(raised="no")
    assert next_question(one_feature, CheckContext()).key == "immobility"  # type: ignore[union-attr]
    ctx = CheckContext(recorded_immobility=("recent_bed_rest",))
    assert next_question(one_feature, ctx) is None


def test_pain_at_rest_reaches_within_days() -> None:
    given = answers(
        ecq1="unable", emergency="none", swelling="no", warm_red="no", pulling="no"
    ) | answers(pressure="no", raised="no", rest_pain="yes")
    result = evaluate(given, CheckContext())
    assert result.pattern is Pattern.REST_PAIN and result.tier is Tier.WITHIN_DAYS
    assert result.is_red_flag and "rest_pain_night" in result.signs


NON_ECQ = answers(
    ecq1="no", emergency="none", swelling="no", warm_red="no", pulling="no", pressure="no"
) | answers(raised="no", rest_pain="no")


@pytest.mark.parametrize(
    ("extra", "pattern"),
    [
        ({"strain": "yes"}, Pattern.MUSCLE_STRAIN),
        ({"strain": "no", "cramp": "yes"}, Pattern.CRAMP),
        ({"strain": "no", "cramp": "no", "short_lived": "yes"}, Pattern.SHORT_LIVED),
    ],
)
def test_strain_cramp_and_short_pain_are_harmless_only_without_any_risk(
    extra: dict[str, str], pattern: Pattern
) -> None:
    given = NON_ECQ | answers(**extra)
    clean = evaluate(given, CheckContext())
    assert clean.pattern is pattern and clean.tier is None and clean.harmless
    assert "harmless and self-limiting" in " ".join(check_lines(clean))
    for ctx in (
        CheckContext(risk_factors=(RiskFactor.OBESITY,)),
        CheckContext(risk_factors=(RiskFactor.SMOKING,)),
        CheckContext(recorded_immobility=("recent_surgery",)),
    ):
        risky = evaluate(given, ctx)
        assert risky.pattern is pattern and not risky.harmless
        text = " ".join(check_lines(risky))
        assert "harmless" not in text and "self-limiting" not in text
        assert "swells" in text


def test_relief_over_10_minutes_is_a_red_flag_answer_that_rules_out_harmless() -> None:
    given = answers(
        ecq1="yes", ecq2="no", ecq3="yes", ecq4="no", ecq5="continues", ecq6=("calf",)
    ) | answers(emergency="none", swelling="no", warm_red="no", pulling="no", pressure="no")
    given |= answers(raised="no", strain="yes")
    result = evaluate(given, CheckContext())
    assert result.pattern is Pattern.MUSCLE_STRAIN
    assert result.signs == ("relief_over_10_min",) and result.tier is Tier.NEXT_APPOINTMENT
    assert not result.harmless and "harmless" not in " ".join(check_lines(result))


def test_no_pattern_is_mentioned_at_the_next_appointment() -> None:
    result = evaluate(NON_ECQ | answers(strain="no", cramp="no", short_lived="no"), CheckContext())
    assert result.pattern is Pattern.UNCLEAR and result.tier is Tier.NEXT_APPOINTMENT
    assert check_advice(result).startswith("This is not typical of walking-related leg pain.")


@pytest.mark.parametrize(
    ("given", "asked"),
    [
        (
            answers(ecq1="yes", ecq2="no", ecq3="yes", ecq4="no", ecq5="within-10-min")
            | answers(ecq6="thigh", emergency="none", swelling="no", warm_red="no"),
            ["ecq1", "ecq2", "ecq3", "ecq4", "ecq5", "ecq6", "emergency", "swelling", "warm_red"],
        ),
        (answers(ecq1="no", emergency="none", swelling="yes"), ["ecq1", "emergency", "swelling"]),
        (answers(ecq1="unable", emergency="chest_pain"), ["ecq1", "emergency"]),
    ],
)
def test_only_the_questions_needed_to_decide_are_asked(
    given: dict[str, str | tuple[str, ...]], asked: list[str]
) -> None:
    seen: list[str] = []

    def ask(q: object) -> str | tuple[str, ...]:
        key = q.key  # type: ignore[attr-defined]
        seen.append(key)
        return given[key]

    result = run_interview(ask, CheckContext())
    assert seen == asked and list(result.asked) == asked


def test_missing_answers_name_each_question_and_its_options() -> None:
    with pytest.raises(ValidationErrors) as info:
        evaluate(answers(ecq1="yes", ecq3="yes"), CheckContext())
    fields = [e.field for e in info.value.errors]
    assert fields == ["ecq2", "ecq4", "ecq5", "ecq6"]
    assert "allowed: continues, within-10-min" in str(info.value)
    assert "standing still or sitting" in str(info.value)


@pytest.mark.parametrize(
    ("pairs", "field", "says"),
    [
        (["ecq9=yes"], "ecq9", "no such question"),
        (["ecq1=maybe"], "ecq1", "allowed: yes, no, unable"),
        (["ecq1=yes", "ecq1=no"], "ecq1", "one answer only"),
        (["ecq6=knee"], "ecq6", "calf, thigh, buttock, shin, foot, hamstring, joint"),
        (["emergency=none", "emergency=chest_pain"], "emergency", "cannot go with"),
        (["ecq5"], "answer", "question=answer"),
    ],
)
def test_bad_answers_name_the_question_and_the_allowed_answers(
    pairs: list[str], field: str, says: str
) -> None:
    with pytest.raises(ValidationErrors) as info:
        parse_pairs(pairs)
    assert info.value.errors[0].field == field and says in str(info.value)


def test_answers_accept_case_and_either_separator() -> None:
    got = parse_pairs(["ECQ5=Within_10_Min", "emergency=leg-cold-pale", "ecq6=calf", "ecq6=calf"])
    assert got == {"ecq5": "within-10-min", "emergency": ("leg_cold_pale",), "ecq6": ("calf",)}


@given(st.lists(st.text(max_size=30), max_size=6))
def test_any_typed_answers_parse_or_fail_with_a_validation_error(items: list[str]) -> None:
    try:
        got = parse_pairs(items)
    except (ValidationError, ValidationErrors):
        return
    assert set(got) <= set(QUESTIONS)
