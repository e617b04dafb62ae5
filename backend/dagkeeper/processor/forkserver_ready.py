"""Imported last by the parse forkserver: tie it to the processor, warm and freeze the heap.

The forkserver dies with the processor (:mod:`dagkeeper.processor.lifeline`),
and its pid is remembered so that each parse child can die with it in turn.

A small DAG is built once first (:func:`dagkeeper.processor.child.warm_up`)
so that caches filled on first use are inherited rather than rebuilt per child.
``gc.freeze()`` moves every object imported so far into a permanent generation
that the collector never walks, so a child's garbage collections do not touch
(and copy-on-write-duplicate) the whole inherited heap. It roughly halves the
cost of each child.
"""

import gc
import os

from dagkeeper.processor.child import warm_up
from dagkeeper.processor.lifeline import die_with_parent

FORKSERVER_PID = os.getpid()
die_with_parent(os.getppid())
warm_up()
gc.collect()
gc.freeze()
