"""A small table of equivalent terms in ML and CS, so a derived rubric accepts "ReLU" for
"rectified linear unit" and "skip connection" for "shortcut connection".

Each line is one set of equivalents. Matching is by stems and order-free within a window, so
"vanishing gradient" already meets "the gradients vanish": list only what stemming cannot see.
"""

from __future__ import annotations

from functools import lru_cache

_TABLE = """
relu | rectified linear unit | rectified linear
cnn | convolutional neural network | convnet | convolutional network
rnn | recurrent neural network | recurrent network
lstm | long short-term memory
gru | gated recurrent unit
mlp | multilayer perceptron | fully connected network
gpu | graphics card
sgd | stochastic gradient descent
backpropagation | backprop | back propagation | gradient flow
vanishing gradient | gradients vanish | gradients shrink | tiny gradients
exploding gradient | gradients explode
skip connection | shortcut connection | residual connection | identity shortcut
identity mapping | identity function | identity
feature map | channel | filter
dimensionality reduction | reduce dimensions | fewer channels | compress channels
receptive field | field of view
nonlinearity | non-linear | nonlinear | non linearity
parameter | weight
overfitting | overfit | memorise | memorize | high variance
underfitting | underfit | high bias | too simple
zero-centered | zero centred | centered around zero | mean zero | zero mean
multicollinearity | collinear | correlated features | correlated predictors
interpretability | interpretable | explainable | easy to understand
outlier | extreme value | anomaly
probability | likelihood | probabilities
probability distribution | distribution over classes | sum to one | sums to 1
saturation | saturate | flat region
convergence | converge
computational cost | compute cost | computation | flops | computationally expensive
efficient | efficiency | fast | faster | cheap
symmetry | identical | symmetric
initialization | initialisation | init
regularization | regularisation | penalty
normalization | normalisation
classification | classifier
logits | raw scores | unnormalized scores
stack | lifo | last in first out
queue | fifo | first in first out
bst | binary search tree
function | method | procedure | subroutine
pointer | address | reference
recursion | recursive | calls itself
array | list
memory | ram | storage
o(1) | constant time
o(n) | linear time
o(log n) | logarithmic time
ack | acknowledgement | acknowledgment | acknowledge
bandwidth | throughput | data rate
collision | collide
latency | delay
decrease | reduce | shrink | smaller | lower | shorter | drop
increase | grow | larger | bigger | higher | longer | raise
duplicate | copy | twice
guarantee | ensure | assure
error | mistake | fault
"""


@lru_cache(maxsize=1)
def _sets() -> dict[str, tuple[str, ...]]:
    index: dict[str, tuple[str, ...]] = {}
    for line in _TABLE.strip().splitlines():
        terms = tuple(t.strip() for t in line.split("|") if t.strip())
        for term in terms:
            index.setdefault(term, terms)
    return index


def alternatives_for(term: str) -> list[str]:
    """Equivalents of a (lower-case) term, the term first; just [term] when none is known."""
    terms = _sets().get(term.lower())
    if terms is None and term.endswith("s"):
        terms = _sets().get(term[:-1].lower())
    return [term, *(t for t in terms or () if t != term)]


def known_phrase(phrase: str) -> bool:
    """Whether a multi-word phrase is a term of the table (kept whole, not split in words)."""
    return " " in phrase and (phrase in _sets() or phrase.rstrip("s") in _sets())
