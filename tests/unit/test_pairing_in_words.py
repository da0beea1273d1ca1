"""A proposed pair's figures, said in words a busy organiser reads at a glance."""

from __future__ import annotations

from domain.pairing_proposals import CandidateTeam, ProposedPair


def pair(caseloads: tuple[int, int], km: float, contrast: float, standing_gap: float
         ) -> ProposedPair:
    a = CandidateTeam("a", "Leeds", "Yorkshire", 53.8, -1.5, caseloads[0])
    b = CandidateTeam("b", "Truro", "South West", 50.3, -5.1, caseloads[1])
    ratio = max(caseloads) / min(caseloads)
    return ProposedPair(a, b, weight=1.0, distance_km=km, contrast=contrast,
                        standing_gap=standing_gap, caseload_ratio=ratio, reasons=())


def test_a_well_matched_pair_reads_as_similar_far_apart_and_complementary():
    assert pair((300, 260), 240.4, 1.2, 0.1).in_words == (
        "similar caseloads, 240 km apart, each strong where the other is weak, level overall")


def test_a_lopsided_pair_says_so():
    words = pair((400, 200), 1234.0, 0.0, 0.6).in_words

    assert words == ("one sees 2.0 times the other's patients, 1,234 km apart, one team "
                     "ahead on every indicator compared, close in overall standing")
