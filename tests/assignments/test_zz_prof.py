import cProfile, pstats, pytest
from tests.assignments.test_proposal import *  # noqa

def test_prof(district, year):
    pr = cProfile.Profile(); pr.enable()
    for seed in range(20):
        _propose(district, year, seed, month=3)
    pr.disable()
    pstats.Stats(pr).sort_stats("cumulative").print_stats(25)
