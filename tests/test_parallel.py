"""Pool extraction: same records in the same order as one process, with bounded read-ahead."""

from __future__ import annotations

from collections.abc import Iterator

from kg.extract.parallel import IN_FLIGHT_PER_WORKER, extract_parallel
from kg.model import Paper, PaperExtraction


def test_two_workers_give_the_single_process_records_in_input_order(
    seed_papers: list[Paper], seed_extractions: list[PaperExtraction]
) -> None:
    got = list(extract_parallel(seed_papers, workers=2, chunk_size=16))
    assert [ex.paper.id for ex in got] == [p.id for p in seed_papers]
    assert got == seed_extractions


def test_one_worker_runs_in_process(
    seed_papers: list[Paper], seed_extractions: list[PaperExtraction]
) -> None:
    assert list(extract_parallel(seed_papers[:20], workers=1)) == seed_extractions[:20]


class Counted:
    """The papers, counting how many the consumer has read."""

    def __init__(self, papers: list[Paper]) -> None:
        self.papers, self.read = papers, 0

    def __iter__(self) -> Iterator[Paper]:
        for paper in self.papers:
            self.read += 1
            yield paper


def test_input_is_read_only_a_few_chunks_ahead(seed_papers: list[Paper]) -> None:
    counted = Counted(seed_papers)
    workers, chunk = 2, 8
    results = extract_parallel(counted, workers=workers, chunk_size=chunk)
    next(results)
    window = workers * IN_FLIGHT_PER_WORKER + 1  # queued chunks, plus the one refilled
    assert counted.read <= window * chunk < len(seed_papers)
    assert sum(1 for _ in results) == len(seed_papers) - 1


def test_a_batch_consumer_gets_a_batch_read_ahead(seed_papers: list[Paper]) -> None:
    """With ``ahead`` (the caller's batch), workers have that many papers to extract while
    the caller stores the batch before; still bounded."""
    counted = Counted(seed_papers)
    chunk, ahead = 8, 96
    results = extract_parallel(counted, workers=2, chunk_size=chunk, ahead=ahead)
    first = next(results)
    assert ahead <= counted.read <= ahead + chunk < len(seed_papers)
    assert [first, *results] == list(extract_parallel(seed_papers, workers=2, chunk_size=chunk))
