"""Zero-repeat schedules from combinatorial designs (affine geometries, transversal designs, Kirkman systems, ...).

:func:`best_design` picks, for g tables of p, the design with the most rounds in
which no two people meet twice; :mod:`mixer.designs.builders` holds the
constructions and the operations that keep zero repeats.
"""

from mixer.designs.builders import Rounds, repeats
from mixer.designs.catalogue import Design, best_design, counting_bound, designs

__all__ = ["Design", "Rounds", "best_design", "counting_bound", "designs", "repeats"]
