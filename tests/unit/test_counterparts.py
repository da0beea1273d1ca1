"""Finding counterparts: who a member should talk to, and why, on crafted cases."""

from __future__ import annotations

from domain.counterparts import DistancePreference, History, Indicator, Person, TeamProfile, rank_counterparts

CNS = "lung_cancer_nurse_specialist"
LEAD = "clinical_lead"
INDICATORS = [
    Indicator("cns_seen", "Seen by a lung cancer nurse specialist", None, 80),
    Indicator("histology", "Histological or cytological confirmation", 68, 75),
    Indicator("active_treatment", "Any anti-cancer treatment", 52, None),
]

# Mine is weak on CNS contact; Leeds-ish strong on it; Bristol-ish average; Kent-ish
# strong on histology only. Distances: Manchester→Leeds ~60 km, →Bristol ~230 km,
# →Kent ~320 km.
TEAMS = {
    "mine": TeamProfile("mine", "Mine MDT", "North West", 53.48, -2.24,
                        {"cns_seen": 61, "histology": 70, "active_treatment": 55},
                        frozenset({"cns_access"})),
    "strong": TeamProfile("strong", "Strong MDT", "Yorkshire", 53.80, -1.55,
                          {"cns_seen": 92, "histology": 71, "active_treatment": 50}),
    "average": TeamProfile("average", "Average MDT", "South West", 51.45, -2.59,
                           {"cns_seen": 78, "histology": 72, "active_treatment": 53}),
    "histology": TeamProfile("histology", "Histology MDT", "South East", 51.28, 1.08,
                             {"cns_seen": 65, "histology": 88, "active_treatment": 50},
                             frozenset({"cns_access", "diagnostics"})),
}
ME = Person("me", "Mary Me", CNS, "mine", frozenset({"nurse-led clinics"}))


def people() -> list[Person]:
    return [
        Person("a", "Anna Average", CNS, "average"),
        Person("s", "Sam Strong", CNS, "strong"),
        Person("h", "Hana Histology", CNS, "histology"),
        Person("l", "Lee Lead", LEAD, "strong"),
        Person("m", "Max Mate", LEAD, "mine"),  # my own team: never suggested
    ]


def names(suggestions) -> list[str]:
    return [s.person.name for s in suggestions]


def test_a_nurse_in_a_team_weak_on_cns_contact_gets_nurses_from_teams_strong_on_it_first():
    ranked = rank_counterparts(ME, people(), TEAMS, INDICATORS)

    assert names(ranked)[0] == "Sam Strong"
    assert ranked[0].reasons[:2] == (
        "Same role as you: Lung cancer nurse specialist",
        "Their team does well on \u201cSeen by a lung cancer nurse specialist\u201d: 92% "
        "(your team 61%, standard 80%)")


def test_every_nurse_comes_before_anyone_in_another_role_with_no_stronger_claim():
    ranked = names(rank_counterparts(ME, people(), TEAMS, INDICATORS))

    assert ranked.index("Lee Lead") > ranked.index("Anna Average")


def test_nobody_from_my_own_team_and_not_me_is_suggested():
    ranked = rank_counterparts(ME, [*people(), ME], TEAMS, INDICATORS)

    assert "Max Mate" not in names(ranked) and "Mary Me" not in names(ranked)


def test_a_team_only_a_little_better_is_not_called_strong():
    # Average's 78% is better than my 61% but below the 80% standard.
    anna = next(s for s in rank_counterparts(ME, people(), TEAMS, INDICATORS)
                if s.person.name == "Anna Average")

    assert not any("does well" in r for r in anna.reasons)


def test_the_same_change_and_shared_interests_are_given_as_reasons():
    hana_with_tags = Person("h", "Hana Histology", CNS, "histology",
                            frozenset({"nurse-led clinics", "ebus"}))
    found = rank_counterparts(ME, [hana_with_tags], TEAMS, INDICATORS)[0]

    assert "Their team is also working on access to nurse specialists" in found.reasons
    assert "Shares your interest in nurse-led clinics" in found.reasons
    assert any("\u201cHistological or cytological confirmation\u201d: 88%" in r
               for r in found.reasons)


def test_what_we_already_share_counts_a_pair_a_past_contact_and_a_workshop():
    history = History(contacted=frozenset({"a"}), paired_team_ids=frozenset({"average"}),
                      workshops_with={"a": "National workshop (March 2011)"})
    plain = rank_counterparts(ME, people(), TEAMS, INDICATORS)
    shared = rank_counterparts(ME, people(), TEAMS, INDICATORS, history)
    anna = next(s for s in shared if s.person.id == "a")

    assert {"Their team is your peer-review pair", "You have been in contact before",
            "You were both at National workshop (March 2011)"} <= set(anna.reasons)
    assert anna.score > next(s for s in plain if s.person.id == "a").score


def test_choosing_near_or_far_reorders_otherwise_equal_suggestions_and_shows_the_distance():
    equal = {k: TeamProfile(t.id, t.name, t.region, t.latitude, t.longitude, {})
             for k, t in TEAMS.items()}
    nurses = [p for p in people() if p.role == CNS]

    near = rank_counterparts(ME, nurses, equal, INDICATORS, preference=DistancePreference.NEAR)
    far = rank_counterparts(ME, nurses, equal, INDICATORS, preference=DistancePreference.FAR)

    assert names(near) == ["Sam Strong", "Anna Average", "Hana Histology"]
    assert names(far) == ["Hana Histology", "Anna Average", "Sam Strong"]
    assert 40 < near[0].distance_km < 80
    assert near[0].reasons[-1] == f"Strong MDT, Yorkshire: {near[0].distance_km:,.0f} km away"


def test_every_suggestion_carries_at_least_one_reason_and_the_list_is_limited():
    many = [Person(str(i), f"Person {i:03d}", LEAD, "average") for i in range(50)]

    ranked = rank_counterparts(ME, many, TEAMS, INDICATORS, limit=10)

    assert len(ranked) == 10
    assert all(s.reasons for s in ranked)


def test_a_strength_in_my_own_field_outweighs_one_outside_it():
    pathologist = Person("p", "Pat Path", "pathologist", "mine")
    candidates = [Person("s", "Sam Strong", LEAD, "strong"),
                  Person("h", "Hana Histology", LEAD, "histology")]

    ranked = rank_counterparts(pathologist, candidates, TEAMS, INDICATORS)

    # Histology MDT is strong on histology (the pathologist's field); Strong MDT on CNS contact.
    assert names(ranked)[0] == "Hana Histology"


def test_the_first_few_suggestions_are_the_first_few_of_the_whole_ranking_on_a_large_network():
    # The ranking skips groups that cannot reach the shown places: on a network of
    # many teams, ties, shared tags, contacts and every distance choice, the first
    # few must still be exactly those the whole ranking puts first.
    from random import Random

    from domain.counterparts import Pool

    rng = Random("counterparts-pool")
    roles, tags = [CNS, LEAD, "radiologist", "pathologist"], ["ebus", "sabr", "data", "trials"]
    areas = ["cns_access", "diagnostics", "data_collection"]
    teams = {"mine": TEAMS["mine"]}
    for t in range(40):
        teams[f"t{t}"] = TeamProfile(
            f"t{t}", f"Team {t}", "Somewhere", rng.uniform(50.5, 54.5), rng.uniform(-3.5, 1.0),
            {i.key: rng.choice([55, 70, 80, 95]) for i in INDICATORS},
            frozenset(rng.sample(areas, rng.randint(0, 2))))
    everyone = [Person(f"p{n}", f"Person {rng.randint(0, 60)}", rng.choice(roles),
                       rng.choice(list(teams)), frozenset(rng.sample(tags, rng.randint(0, 2))))
                for n in range(600)]
    me = Person("me", "Mary Me", CNS, "mine", frozenset({"ebus", "data"}))
    history = History(contacted=frozenset(p.id for p in everyone[::37]),
                      paired_team_ids=frozenset({"t3"}),
                      workshops_with={p.id: "A workshop" for p in everyone[::53]})
    for preference in DistancePreference:
        whole = rank_counterparts(me, everyone, teams, INDICATORS, history, preference,
                                  limit=len(everyone))
        for limit in (1, 3, 10):
            few = rank_counterparts(me, Pool.of(everyone), teams, INDICATORS, history,
                                    preference, limit=limit)
            assert few == whole[:limit]
