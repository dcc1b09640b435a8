"""The critical path method against published worked examples, inputs and outputs exactly.

Each example gives its source. They use plain time units (weeks or days with every day
working), so ``critical_path`` is called directly on whole units, as the textbooks do.
"""

from __future__ import annotations

import pytest

from itpm_tui.domain.network import Link, NetworkCycle, critical_path
from itpm_tui.errors import InvalidInput
from itpm_tui.models import LinkType


@pytest.mark.parametrize("d_predecessors", ["AB", "B"])
def test_heizer_render_milwaukee_paper_manufacturing(d_predecessors: str) -> None:
    """Heizer & Render, Operations Management, chapter "Project Management": Milwaukee Paper
    Manufacturing's air-pollution-control project, the chapter's running example.

    The search tool found no copy of the book's pages. The outputs are those the issue
    quotes (15 weeks, A-C-E-G-H, slack B 1, D 1, F 6), and the full ES/EF/LS/LF/slack
    table below matches an independent reprint of the book's table (a CPM test suite in a
    public repository, found with the search tool's code index). That reprint gives D's
    predecessor as B only, where we remember the book giving A and B (not verified here);
    both give the same schedule, so both are checked. Inputs (activity, weeks, predecessors): A build internal
    components 2 -; B modify roof and floor 3 -; C construct collection stack 2 A; D pour
    concrete and install frame 4 A, B; E build high-temperature burner 4 C; F install
    pollution control system 3 C; G install air pollution device 5 D, E; H inspect and
    test 2 F, G.
    """
    weeks = {"A": 2, "B": 3, "C": 2, "D": 4, "E": 4, "F": 3, "G": 5, "H": 2}
    preds = {"C": "A", "D": d_predecessors, "E": "C", "F": "C", "G": "DE", "H": "FG"}
    times = critical_path(weeks, [Link(p, s) for s, ps in preds.items() for p in ps])
    assert times.finish == 15
    assert times.critical() == ["A", "C", "E", "G", "H"]
    table = {  # activity: (ES, EF, LS, LF, slack)
        "A": (0, 2, 0, 2, 0), "B": (0, 3, 1, 4, 1), "C": (2, 4, 2, 4, 0),
        "D": (3, 7, 4, 8, 1), "E": (4, 8, 4, 8, 0), "F": (4, 7, 10, 13, 6),
        "G": (8, 13, 8, 13, 0), "H": (13, 15, 13, 15, 0),
    }  # fmt: skip
    assert {k: times.of(k)[:5] for k in weeks} == table


def test_hendrickson_nine_activity_site_preparation_network() -> None:
    """Hendrickson, Project Management for Construction, 2nd ed., ch. 10 "Fundamental
    Scheduling Procedures", Table 10-1 (precedence relations and durations for a nine
    activity project, also reprinted at tutorsglobe.com/question/precedence-relations-and-
    durations-for-a-nine-activity-51522102.aspx, which we read) and the results the chapter
    gives with Table 10-2 (as quoted in the issue).

    Inputs (activity, predecessors, days): A site clearing - 4; B removal of trees - 3;
    C general excavation A 8; D grading general area A 7; E excavation for trenches B, C 9;
    F placing formwork and reinforcement B, C 12; G installing sewer lines D, E 2;
    H installing other utilities D, E 5; I pouring concrete F, G 6.
    Outputs as published: 30 days; critical path A-C-F-I; activity D has a total float of
    11 and a free float of 10 (it may be delayed 10 days without delaying G or H).
    """
    days = {"A": 4, "B": 3, "C": 8, "D": 7, "E": 9, "F": 12, "G": 2, "H": 5, "I": 6}
    preds = {"C": "A", "D": "A", "E": "BC", "F": "BC", "G": "DE", "H": "DE", "I": "FG"}
    times = critical_path(days, [Link(p, s) for s, ps in preds.items() for p in ps])
    assert times.finish == 30
    assert times.critical() == ["A", "C", "F", "I"]
    es, ef, ls, lf, total, free = times.of("D")
    assert (total, free) == (11, 10)
    assert (es, ef, ls, lf) == (4, 11, 15, 22)


def test_precedence_diagram_method_example_with_start_to_start_links() -> None:
    """ "Network Construction - Precedence Diagram Method" (course module, 15 Mar 2019; text
    in the Nemotron-CC-Math corpus, huggingface.co/datasets/nvidia/Nemotron-CC-Math-v1,
    and as slides at slideserve.com, "N E T W O R K C O N S T R U C T I O N").

    Inputs as published (activity, duration, relationship): A 2 none; B 10 A (S-S);
    C 13 A; D 12 A; E 12 B; F 7 B; G 10 D; H 16 D; I 6 F; J 12 C, G (S-S); K 5 I (S-S);
    L 8 E, I, K; M 5 H; N 3 G, J, L, M. The copies we could read stop before the page
    with the computed dates, so the outputs below are our hand calculation with the
    module's stated rules (ES of an S-S successor = ES of its predecessor): 38 days,
    critical path A-D-H-M-N, and J's S-S link to G leaves G 9 days of float (its late
    start is bound by J's late start, not by N).
    """
    days = {"A": 2, "B": 10, "C": 13, "D": 12, "E": 12, "F": 7, "G": 10, "H": 16, "I": 6,
            "J": 12, "K": 5, "L": 8, "M": 5, "N": 3}  # fmt: skip
    ss = LinkType.SS
    links = [
        Link("A", "B", ss), Link("A", "C"), Link("A", "D"), Link("B", "E"), Link("B", "F"),
        Link("D", "G"), Link("D", "H"), Link("F", "I"), Link("C", "J"), Link("G", "J", ss),
        Link("I", "K", ss), Link("E", "L"), Link("I", "L"), Link("K", "L"), Link("H", "M"),
        Link("G", "N"), Link("J", "N"), Link("L", "N"), Link("M", "N"),
    ]  # fmt: skip
    times = critical_path(days, links)
    assert times.finish == 38
    assert times.critical() == ["A", "D", "H", "M", "N"]
    floats = {k: times.of(k)[4] for k in days}
    assert floats == {"A": 0, "B": 4, "C": 8, "D": 0, "E": 5, "F": 4, "G": 9, "H": 0,
                      "I": 4, "J": 8, "K": 5, "L": 4, "M": 0, "N": 0}  # fmt: skip
    assert times.of("J")[:2] == (15, 27)  # C finishes at 15, after G starts at 14


FS, SS, FF, SF = LinkType.FS, LinkType.SS, LinkType.FF, LinkType.SF

# Worked examples published as video lessons, with their full ES/EF/LS/LF/float tables.
# We could not watch the videos: the inputs and outputs below are as transcribed in a public
# CPM test suite (the PlanExe project, github.com/neoneye/PlanExe, its schedule tests, found
# with the search tool's code index), and every number was checked again by hand here with
# the module's link rules. The lessons count time as we do: the first activity starts at 0
# and EF = ES + duration (boundaries), so nothing is shifted. None of them publishes free
# float: those asserted are our hand calculation (smallest slack of the outgoing links).
VIDEO_EXAMPLES = {
    # Engineer4Free, "Difficult network diagram example with lag solved",
    # youtube.com/watch?v=qTErIV6OqLg: every link type, with lags.
    "engineer4free": (
        {"A": 3, "B": 2, "C": 2, "D": 4, "E": 1, "F": 2, "G": 4, "H": 3},
        [Link("A", "B", FS, 2), Link("A", "C", SS), Link("B", "D", SS, 1),
         Link("C", "E", SF, 3), Link("C", "F", FF, 3), Link("D", "G", SS, 1),
         Link("E", "G"), Link("F", "H", SF, 2), Link("G", "H")],
        {  # activity: (ES, EF, LS, LF, total float), as published; then our free float
            "A": (0, 3, 0, 3, 0, 0), "B": (5, 7, 5, 7, 0, 0), "C": (0, 2, 4, 6, 4, 0),
            "D": (6, 10, 6, 10, 0, 0), "E": (2, 3, 6, 7, 4, 4), "F": (3, 5, 12, 14, 9, 9),
            "G": (7, 11, 7, 11, 0, 0), "H": (11, 14, 11, 14, 0, 0),
        },
        14, ["A", "B", "D", "G", "H"],
    ),
    # James Marion, "Lags Part 1", youtube.com/watch?v=nhRTJBQ1NPM: FS +5 and SS +3.
    "marion-lags-1": (
        {"A": 2, "B": 4, "C": 3, "D": 5, "E": 2},
        [Link("A", "B", FS, 5), Link("B", "C", SS, 3), Link("B", "D"), Link("C", "E"),
         Link("D", "E")],
        {
            "A": (0, 2, 0, 2, 0, 0), "B": (7, 11, 7, 11, 0, 0), "C": (10, 13, 13, 16, 3, 3),
            "D": (11, 16, 11, 16, 0, 0), "E": (16, 18, 16, 18, 0, 0),
        },
        18, ["A", "B", "D", "E"],
    ),
    # James Marion, "Lags Part 2", youtube.com/watch?v=lQtpnHzvTT8: SF +7 and FF +3.
    "marion-lags-2": (
        {"A": 2, "B": 2, "C": 4, "D": 3, "E": 3, "F": 1},
        [Link("A", "B"), Link("A", "C"), Link("B", "D"), Link("C", "D", SF, 7),
         Link("C", "E"), Link("D", "F", FF, 3), Link("E", "F")],
        {
            "A": (0, 2, 0, 2, 0, 0), "B": (2, 4, 4, 6, 2, 2), "C": (2, 6, 2, 6, 0, 0),
            "D": (6, 9, 6, 9, 0, 0), "E": (6, 9, 8, 11, 2, 2), "F": (11, 12, 11, 12, 0, 0),
        },
        12, ["A", "C", "D", "F"],
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(VIDEO_EXAMPLES))
def test_published_video_examples_with_ss_ff_sf_links_and_lags(name: str) -> None:
    """Three published precedence-diagram lessons with lags (see ``VIDEO_EXAMPLES``).

    By hand, Engineer4Free: E's SF +3 from C binds its finish (EF >= ES(C) + 3 = 3), F's
    FF +3 from C its finish (EF >= EF(C) + 3 = 5); backwards, C's late start is held by
    E (LS(C) <= LF(E) - 3 = 4) rather than by F (LF(F) - 3 = 11), and F's by H's SF +2
    (LS(F) <= LF(H) - 2 = 12), leaving F 9 days. Marion 2: D waits for C's SF +7
    (EF(D) >= ES(C) + 7 = 9), which makes A-C-D-F critical and leaves B 2 days.
    """
    days, links, table, finish, critical = VIDEO_EXAMPLES[name]
    times = critical_path(days, links)
    assert times.finish == finish
    assert times.critical() == critical
    assert {k: times.of(k) for k in days} == table


def test_plan_academy_start_to_start_lags_hold_back_the_predecessors_late_finish() -> None:
    """Plan Academy, "Construction Project Management" course, module "Logic Relationships &
    Precedence Networks", lesson "Logic Linking Example With Lags" (example two),
    planacademy.com/lessons/logic-linking-example-lags/ (read with the search tool's page
    index; the public page shows the lesson's transcript up to the backward pass).

    Inputs as published: A 10 days; B 5 days, SS +6 from A ("B can start at least 6 days
    after the start of A"); C 3 days, SS +1 from B. Outputs as published: A 0 and 10;
    B starts at 0 + 6 = 6 and finishes on the 11th; C 7 + 3 = 10; the project finishes
    no later than day 11; backwards C 11 - 3 = 8, B 11 - 5 = 6, and A "has to finish no
    later than day 10" (not 11: with a late start of 1, B could not start until day 7).

    Conventions: the lesson counts as we do, the first activity starting at 0 and
    EF = ES + duration, LS = LF - duration, so every number maps unchanged. The page stops
    before naming the critical path or any float: A's late start (10 - 10 = 0) and the
    total floats (LS - ES) follow from its numbers by those definitions, and the critical
    list from our rule (total float <= 0); free float is ours alone, not asserted.
    """
    days = {"A": 10, "B": 5, "C": 3}
    times = critical_path(days, [Link("A", "B", SS, 6), Link("B", "C", SS, 1)])
    assert times.finish == 11
    published = {  # activity: (ES, EF, LS, LF)
        "A": (0, 10, 0, 10), "B": (6, 11, 6, 11), "C": (7, 10, 8, 11),
    }  # fmt: skip
    assert {k: times.of(k)[:4] for k in days} == published
    assert {k: times.of(k)[4] for k in days} == {"A": 0, "B": 0, "C": 1}
    assert times.critical() == ["A", "B"]


def test_columbia_start_to_start_example_late_start_bound_by_the_project_finish() -> None:
    """Columbia University on Coursera, "Construction Scheduling" (course 2 of the
    Construction Management specialization, Ibrahim Odeh), module "Critical Path", lecture
    "Determining Critical Path in a Start to Start Relationship". We read its transcript
    as reprinted in the Nemotron-CC-Math-v1 corpus (huggingface.co/datasets/nvidia/
    Nemotron-CC-Math-v1), not on coursera.org itself.

    Inputs as published: x 9 days, y 4 days, z 2 days; x SS y and y SS z, no lag.
    Outputs as published: ES 0, 0, 0; EF 9, 4, 2; the project takes 9 days; LF 9, 9, 9;
    LS 0, 5, 7; x is critical, y and z may start as late as day 5 and day 7. Same counting
    as ours (start at 0, EF = ES + duration), so nothing is shifted. The lecture goes on
    with lags of 6 and 1 days, but the copy we read stops before those results, so that
    variant is not asserted here (the Plan Academy test above covers SS lags).
    """
    days = {"x": 9, "y": 4, "z": 2}
    times = critical_path(days, [Link("x", "y", SS), Link("y", "z", SS)])
    assert times.finish == 9
    published = {"x": (0, 9, 0, 9), "y": (0, 4, 5, 9), "z": (0, 2, 7, 9)}
    assert {k: times.of(k)[:4] for k in days} == published
    assert times.critical() == ["x"]


def test_every_link_type_with_lags_and_a_lead() -> None:
    """Each relationship type once, worked by hand from the PMBOK definitions of FS, SS, FF
    and SF with lag (lead = negative lag): A 3; B 2, SS A +1; C 4, FF A +2; D 1, SF B +3;
    E 2, FS C -1 (a one-day lead)."""
    days = {"A": 3, "B": 2, "C": 4, "D": 1, "E": 2}
    links = [
        Link("A", "B", LinkType.SS, 1), Link("A", "C", LinkType.FF, 2),
        Link("B", "D", LinkType.SF, 3), Link("C", "E", LinkType.FS, -1),
    ]  # fmt: skip
    times = critical_path(days, links)
    # B starts 1 after A starts; C finishes 2 after A (0+3+2 = 5, so it starts at 1);
    # D finishes 3 after B starts (1+3 = 4); E starts 1 before C finishes (5-1 = 4).
    assert {k: times.of(k)[:2] for k in days} == {
        "A": (0, 3), "B": (1, 3), "C": (1, 5), "D": (3, 4), "E": (4, 6)}  # fmt: skip
    assert times.finish == 6
    assert times.critical() == ["A", "C", "E"]
    assert times.of("B")[2:] == (3, 5, 2, 0)  # late by D's SF link, free float 0
    assert times.of("D")[2:] == (5, 6, 2, 2)


def test_a_cycle_is_refused_naming_it() -> None:
    with pytest.raises(NetworkCycle, match=r"cycle: #12 -> #15 -> #12$"):
        critical_path({12: 1, 15: 1, 20: 1}, [Link(20, 12), Link(12, 15), Link(15, 12)])
    with pytest.raises(NetworkCycle, match=r"#3 -> #4 -> #5 -> #3$"):
        critical_path({i: 1 for i in range(1, 6)},
                      [Link(1, 3), Link(3, 4), Link(4, 5), Link(5, 3)])  # fmt: skip


def test_a_link_to_an_unknown_activity_is_refused() -> None:
    with pytest.raises(InvalidInput, match="#9, which is not in the network"):
        critical_path({1: 1}, [Link(1, 9)])


def test_a_deadline_that_cannot_be_met_gives_negative_float() -> None:
    times = critical_path({"A": 3, "B": 4}, [Link("A", "B")], deadline={"B": 5})
    assert times.of("A")[4] == -2
    assert times.of("B")[4] == -2
    assert times.critical() == ["A", "B"]
