#!/usr/bin/env python3
"""Export a PyTorch ``nn.Sequential`` of dense, recurrent (GRU, LSTM), Conv1d and pooling layers to backprop's weights format.

The output is the ``BPNN`` format version 2 that ``Net::from_bytes`` and
``Net::from_bytes_const`` read (see ``backprop_core::weights``)::

    0..4    magic b"BPNN"
    4..6    format version, u16 = 2
    6       scalar kind, u8: 1 = f32, 2 = f64, 3 = Q16_16, 4 = Q8_8
    7       reserved, u8 = 0
    8..12   architecture fingerprint, u32: CRC-32 of the architecture text
    12..16  parameter count P, u32
    16..20  length L of the architecture text, u32
    20..    the architecture text (the network's ``ARCHITECTURE``), L bytes
    ...     P parameters, little-endian: layer by layer, the weights
            row-major [out][in] (PyTorch's own ``Linear.weight`` layout),
            then the layer's biases; a Conv1d's weights row-major
            [out][in][kernel] (``Conv1d.weight``), then its biases; a GRU's
            or an LSTM's ``weight_ih_l0`` [G*H][IN] and ``weight_hh_l0``
            [G*H][H] row-major, then ``bias_ih_l0`` and ``bias_hh_l0``
            [G*H] (G = 3 gates r, z, n for a GRU, 4 gates i, f, g, o for an
            LSTM); pooling and Flatten have none (so, where every layer has
            a bias, the parameters are ``torch.cat([p.flatten() for p in
            model.parameters()])``)
    last 4  CRC-32 (zlib.crc32) of every byte before it

A blob loads only into the network whose ``ARCHITECTURE`` is its text, byte
for byte. A version 1 blob (which had no text, only its CRC-32) is
converted with ``--upgrade OLD.bpnn NEW.bpnn --spec TEXT``, which checks that
the text is the one the old blob's fingerprint was computed from.

For a network declared ``#[layout(input_major)]`` pass
``layout="input_major"`` (``--input-major`` on the command line): each
layer's weights are written [in][out] instead, and the fingerprinted text
starts with ``#[layout(input_major)] ``, as the network's ``ARCHITECTURE``
does, so a blob loads only into the layout it was written for.

A chain (``struct Net: A => B;``) holds the same parameters under another
fingerprint, since its ``ARCHITECTURE`` names its parts:
``export_chain(inputs, layers, parts)`` (``--parts=1,2`` on the command
line, or ``--parts=[[1,1],1]`` for a chain inside the chain) splits the
layers, in order, into parts of that many layers, and returns the blob and
the ``network!`` lines that declare the parts and the chain.

The spec text is what you write in ``network!``, with the parameters of an
activation that takes some (``LeakyReLU``'s slope, ``ELU``'s alpha) always
written, defaults included, as the 16 hex digits of their f64 bits, e.g.
``3 => 8 LeakyReLU(3fb999999999999a) => 4 ELU(3ff0000000000000) => 2 Linear``.
The script prints the ``network!`` line to declare on the Rust side, where
they are plain numbers (``LeakyReLU(0.1)``, ``ELU(1.0)``).

The built-in activations and the ``torch.nn`` modules they stand for are
read from ``backprop-spec/activations.txt``, the table the ``network!``
macro and the runtime read too. Supported modules, in an ``nn.Sequential``,
an ``nn.ModuleList`` or a plain list of modules (read in order; a GRU or an
LSTM returns a tuple, so it cannot run inside an ``nn.Sequential``, but the
exporter never runs the model):

* ``nn.Linear`` (without bias, the biases are written as 0), each followed by
  at most one activation; a ``Linear`` followed by no activation is ``Linear``;
* ``nn.ReLU``, ``nn.LeakyReLU(negative_slope)``, ``nn.Sigmoid``, ``nn.Tanh``,
  ``nn.SiLU``, ``nn.GELU()`` (``GELU``) and ``nn.GELU(approximate='tanh')``
  (``GELU(tanh)``), ``nn.ELU(alpha)``, ``nn.Softplus()`` (only ``beta=1``,
  ``threshold=20``), ``nn.ReLU6``, ``nn.Hardtanh()`` (only ``min_val=-1``,
  ``max_val=1``): the table's ``torch`` column;
* ``nn.Identity`` (ignored);
* ``nn.Dropout`` (dropped with a warning: at inference it is the identity,
  and the network trains without it);
* ``nn.Softmax(dim=-1)`` (or ``dim=1``, or no ``dim``) as the very last module;
* ``nn.GRU`` and ``nn.LSTM``: ``H GRU`` and ``H LSTM`` with ``H`` their
  ``hidden_size``, before, after or between dense layers (a dense layer acts
  on every step's values; ``1 => 16 GRU => 1 Linear`` is ``nn.GRU(1, 16)``
  then ``nn.Linear(16, 1)``). Only ``num_layers=1`` (stack one-layer
  modules: ``16 GRU => 16 GRU``), ``bidirectional=False`` and, for an
  LSTM, ``proj_size=0``; ``batch_first`` either way (the weights do not
  depend on it); ``dropout`` is ignored (with one layer it is a no-op);
  without a bias (``bias=False``) the biases are written as 0. No
  activation module follows one (its output is its hidden state: put the
  activation on a ``Linear`` after it). ``nn.RNN``, the cells
  (``nn.GRUCell``, ``nn.LSTMCell``) and a recurrent layer in a network with
  a window input or a Conv1d are refused. The network's input is one step's
  values; the Rust side runs it with ``step`` or ``forward_sequence``. A
  recurrent network is written in the default layout only and not as a
  chain; ``forward_sequence(layers, xs)`` is the script's float64 reference
  over a sequence;
* for a network whose input is a window of ``C`` channels and ``LEN`` time
  steps (PyTorch's ``[batch][C][LEN]``, the spec's ``[C; LEN]``), given as
  ``window=(C, LEN)`` (``--window=C,LEN`` on the command line):

  - ``nn.Conv1d`` (``Conv1d(OUT, kernel = K)``, with ``stride``,
    ``dilation`` and ``padding = same`` where not 1, 1, valid), followed by
    at most one activation as a ``Linear`` is (none is ``Linear``). Only
    ``groups=1`` and ``padding_mode='zeros'``; ``padding`` is ``'valid'``
    or ``0``, or ``'same'`` (stride 1), or the integer ``'same'`` would put
    on each side (stride 1, ``2 * padding == dilation * (kernel_size - 1)``);
    without a bias (``bias=False``) the biases are written as 0, as for a
    ``Linear``;
  - ``nn.MaxPool1d`` and ``nn.AvgPool1d`` (``MaxPool1d(K)``,
    ``MaxPool1d(K, stride = S)``), with no padding, ``ceil_mode=False``
    (and for ``MaxPool1d`` ``dilation=1``, ``return_indices=False``);
  - ``nn.AdaptiveAvgPool1d(1)`` followed by ``nn.Flatten()``: one
    ``GlobalAvgPool1d`` (``[C][1]`` flattened is ``[C]``);
  - ``nn.Flatten()`` (``start_dim=1``, ``end_dim=-1``): ``Flatten``, the
    values channel by channel, ``c * LEN + t``.

  The script computes every layer's shape as ``network!`` does (a Conv1d
  gives ``floor((L + padding - dilation*(K-1) - 1) / stride) + 1`` time
  steps, a pool ``floor((L - K) / S) + 1``) and refuses, naming the module, a
  ``Conv1d`` whose ``in_channels`` is not its input's, a kernel or a pool
  longer than its input, a dense layer on a window (put ``nn.Flatten()`` or
  ``nn.AdaptiveAvgPool1d(1), nn.Flatten()`` before it),
  ``nn.AdaptiveAvgPool1d(1)`` without its ``nn.Flatten()``, an
  activation after a pooling layer or a ``Flatten``, and a network that does
  not end in a dense layer. The fingerprinted text writes every option
  (``Conv1d(16, kernel = 5, stride = 1, dilation = 1, padding = valid) ReLU``,
  ``MaxPool1d(2, stride = 2)``); the printed ``network!`` line only those not
  at their defaults (``Conv1d(16, kernel = 5) ReLU``, ``MaxPool1d(2)``). The
  Rust input is time-major, ``x[t][c]``, the transpose of PyTorch's
  ``x[0][c][t]``. A window network is written in the default layout only and
  not as a chain.

Everything else is refused with a message naming the module and its index
(and, for a supported module with other settings, the setting): other
convolutions and pooling, normalisation, ``LogSoftmax`` and other
activations, ``nn.Softplus(beta=2)``, two activations in a row, an
activation before the first ``Linear`` or ``Conv1d`` or after a GRU or an
LSTM, nested containers.

A model of a class of your own (with a ``forward``) whose children are its
layers in the order ``forward`` runs them is exported as
``export_sequential(list(model.children()))``. Otherwise it is exported
from its ``state_dict`` and the spec, which says
what the dense layers' weights are and which activation follows each:
``export_state_dict(state_dict, "2 => 8 ReLU => 1 Sigmoid")``, or on the
command line ``--state-dict weights.pt --spec '2 => 8 ReLU => 1 Sigmoid'``
after ``torch.save(model.state_dict(), "weights.pt")``. The state dict's
2-D ``*.weight`` entries, in order, are the layers' weights (each followed by
its ``*.bias``, or biases of 0), checked against the spec's widths.
A recurrent network's spec writes ``H GRU`` and ``H LSTM`` (``--spec '1 =>
16 GRU => 1 Linear'``): each ``*weight_ih_l0`` entry (with the
``weight_hh_l0``, ``bias_ih_l0`` and ``bias_hh_l0`` beside it) is a
recurrent layer's, in order with the dense layers' ``*.weight`` entries;
entries of a stacked or bidirectional module (``*_l1``, ``*_reverse``) and
recurrent entries under a spec without a recurrent layer are refused.
A window network's spec starts with its window and writes its Conv1d and
pooling layers as ``network!`` does (``--spec '[3; 64] => Conv1d(16, kernel
= 5) ReLU => MaxPool1d(2) => GlobalAvgPool1d => 4 Softmax'``): the 3-D
``*.weight`` entries are the Conv1d layers' weights, the 2-D ones the dense
layers', in order, and every shape is checked as for an ``nn.Sequential``.

The core works on plain lists (or numpy arrays, through ``.tolist()``) and
needs only the standard library; PyTorch is only needed for
``export_sequential``. Usage::

    from export_pytorch import export_sequential
    blob, spec = export_sequential(model, dtype="f32")
    open("net.bpnn", "wb").write(blob)
    blob, spec = export_sequential(conv_model, window=(3, 64))  # a [3; 64] input
    blob, spec = export_sequential([nn.GRU(1, 16, batch_first=True), nn.Linear(16, 1)], dtype="f64")

or, for a whole model saved with ``torch.save(model, "model.pt")``::

    python3 scripts/export_pytorch.py model.pt net.bpnn [--f64 | --q16-16 | --q8-8] [--input-major] [--parts=1,2]
    python3 scripts/export_pytorch.py model.pt net.bpnn --window=3,64 [--f64 | --q16-16 | --q8-8]

or, for the weights alone, ``torch.save(model.state_dict(), "weights.pt")``::

    python3 scripts/export_pytorch.py --state-dict weights.pt net.bpnn --spec '2 => 8 ReLU => 1 Linear' [--f64 | --q16-16 | --q8-8] [--input-major]

``python3 scripts/export_pytorch.py --fixture DIR`` rewrites the committed
test fixtures (fixed random networks, dense and window ones, their blobs,
random inputs and the outputs this script's own float64 forward pass
computes) without PyTorch. The recurrent fixtures come from PyTorch itself:
``python3 scripts/export_rnn_fixtures.py`` rewrites them.
"""

import json
import math
import os
import random
import re
import struct
import sys
import warnings
import zlib

MAGIC = b"BPNN"
VERSION = 2
# dtype: (kind byte, struct format, size, fractional bits or None for a float).
KINDS = {
    "f32": (1, "<f", 4, None),
    "f64": (2, "<d", 8, None),
    "Q16_16": (3, "<i", 4, 16),
    "Q8_8": (4, "<h", 2, 8),
}
KIND_NAMES = {kind: name for name, (kind, _, _, _) in KINDS.items()}
LAYOUTS = {"output_major": "", "input_major": "#[layout(input_major)] "}
# The table of built-in activations, relative to this script's repository.
TABLE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "backprop-spec", "activations.txt")


class ExportError(ValueError):
    """A model that this format cannot represent."""


def _torch_column(text):
    """``Name``, ``Name(attr)`` or ``Name(attr=value,...)`` as
    ``(Name, [(attr, value or None), ...])``."""
    name, _, rest = text.partition("(")
    attrs = []
    for item in filter(None, rest.rstrip(")").split(",")):
        attr, eq, value = item.partition("=")
        attrs.append((attr, value if eq else None))
    return name, attrs


def read_table(path=TABLE):
    """The built-in activations, in the table's order: a list of dicts with
    ``spelling``, ``runtime``, ``params`` (a list of ``(name, default)``)
    and ``torch`` (``(module name, [(attribute, required value or None)])``,
    where an attribute without a value gives the parameter in that
    position)."""
    rows = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            spelling, runtime, params, torch = line.split()
            params = [] if params == "-" else [
                (name, float(default)) for name, default in (p.split("=") for p in params.split(","))
            ]
            rows.append({"spelling": spelling, "runtime": runtime, "params": params, "torch": _torch_column(torch)})
    return rows


BUILTINS = read_table()
# Softmax works on a whole layer: not in the table, a layer activation of its own.
ACTIVATIONS = tuple(b["spelling"] for b in BUILTINS) + ("Softmax",)
_BY_SPELLING = {b["spelling"]: b for b in BUILTINS}


def slope_hex(slope):
    """An activation's parameter (LeakyReLU's slope, ELU's alpha) as the 16
    lower-case hex digits of its f64 bits."""
    return "%016x" % struct.unpack("<Q", struct.pack("<d", float(slope)))[0]


def _table_params(name):
    """``name``'s parameters in the table, ``[(name, default), ...]``."""
    row = _BY_SPELLING.get(name)
    return row["params"] if row else []


def _params(name, layer):
    """The values of ``name``'s parameters in ``layer`` (a dict keyed by
    the table's parameter names), defaults where absent."""
    return [float(layer.get(p, default)) for p, default in _table_params(name)]


def activation_text(name, slope=None, **params):
    """The spec spelling of one activation, as the fingerprint uses it:
    parameters, defaults included, as the hex digits of their bits.
    ``slope`` is LeakyReLU's (kept as a positional argument for callers of
    earlier versions); other parameters go by their table names, e.g.
    ``alpha=0.5`` for ``ELU``."""
    if name not in ACTIVATIONS:
        raise ExportError("unknown activation %r, expected one of %s" % (name, ", ".join(ACTIVATIONS)))
    if slope is not None:
        params["slope"] = slope
    values = _params(name, params)
    if values:
        return "%s(%s)" % (name, ",".join(slope_hex(v) for v in values))
    return name


def _layer_text(layer, canonical):
    """One layer's activation in the spec: its parameters as hex digits
    (``canonical``, the fingerprinted text) or as Python floats, which
    ``network!`` reads as the same f64 (the line to declare)."""
    name = layer["activation"]
    if canonical:
        return activation_text(name, **{p: layer[p] for p, _ in _table_params(name) if p in layer})
    values = _params(name, layer)
    if values:
        return "%s(%s)" % (name, ",".join("%r" % v for v in values))
    return name


# The layers of a window network (issue #15), by their spec names; a layer
# without a "kind" is dense.
WINDOW_KINDS = ("Conv1d", "MaxPool1d", "AvgPool1d", "GlobalAvgPool1d", "Flatten")
# The recurrent layers and their gates per hidden unit: PyTorch's GRU (r, z,
# n) and LSTM (i, f, g, o).
GATES = {"GRU": 3, "LSTM": 4}
RECURRENT_KINDS = tuple(GATES)
PADDINGS = ("valid", "same")


def _kind(layer):
    return layer.get("kind", "Dense")


def is_recurrent(layers):
    """Whether any of ``layers`` is a GRU or an LSTM."""
    return any(_kind(layer) in RECURRENT_KINDS for layer in layers)


def input_text(inputs):
    """The spec's input: a width (``3``) or a window ``(C, LEN)`` as
    ``[C; LEN]``."""
    if isinstance(inputs, (tuple, list)):
        return "[%d; %d]" % tuple(inputs)
    return str(inputs)


def _shape_text(shape):
    return input_text(shape)


def _window_layer_text(layer, canonical):
    """A Conv1d, pooling or Flatten layer in the spec: every option written
    (``canonical``, the fingerprinted text) or only those not at their
    defaults (the line to declare)."""
    kind = _kind(layer)
    if kind == "Conv1d":
        kernel = layer.get("kernel") or len(_as_list(_as_list(_as_list(layer["weight"])[0])[0]))
        options = ["kernel = %d" % kernel]
        for name, default in (("stride", 1), ("dilation", 1), ("padding", "valid")):
            value = layer.get(name, default)
            if canonical or value != default:
                options.append("%s = %s" % (name, value))
        activation = _layer_text(dict(layer, activation=layer.get("activation", "Linear")), canonical)
        return "Conv1d(%d, %s) %s" % (len(layer["bias"]), ", ".join(options), activation)
    if kind in ("MaxPool1d", "AvgPool1d"):
        stride = layer.get("stride") or layer["kernel"]
        if canonical or stride != layer["kernel"]:
            return "%s(%d, stride = %d)" % (kind, layer["kernel"], stride)
        return "%s(%d)" % (kind, layer["kernel"])
    return kind  # GlobalAvgPool1d, Flatten


def spec_text(inputs, layers, canonical=True):
    """The spec: ``inputs => width act => ...``; canonical writes an
    activation's parameters as hex, and every option of a Conv1d or a
    pooling layer."""
    parts = [input_text(inputs)]
    for layer in layers:
        if _kind(layer) == "Dense":
            parts.append("%d %s" % (len(layer["bias"]), _layer_text(layer, canonical)))
        elif _kind(layer) in RECURRENT_KINDS:
            parts.append("%d %s" % (_hidden(layer), _kind(layer)))
        else:
            parts.append(_window_layer_text(layer, canonical))
    return " => ".join(parts)


def _as_list(values):
    return values.tolist() if hasattr(values, "tolist") else list(values)


def _hidden(layer):
    """A recurrent layer's hidden width ``H``: its ``weight_hh`` is
    ``[G*H][H]``."""
    return len(_as_list(layer["weight_hh"])) // GATES[_kind(layer)]


def _check_recurrent_layer(layer, width, where):
    """One GRU or LSTM layer on a step of ``width`` values: the layer with
    plain-list parameters (biases of 0 where it has none), and its output
    width, the hidden width ``H``. Its parameters are PyTorch's
    ``weight_ih_l0`` ``[G*H][IN]``, ``weight_hh_l0`` ``[G*H][H]``,
    ``bias_ih_l0`` and ``bias_hh_l0`` ``[G*H]``, with ``G`` 3 for a GRU and 4
    for an LSTM."""
    kind = _kind(layer)
    gates = GATES[kind]
    w_ih = [[float(w) for w in _as_list(row)] for row in _as_list(layer["weight_ih"])]
    w_hh = [[float(w) for w in _as_list(row)] for row in _as_list(layer["weight_hh"])]
    rows = len(w_hh)
    hidden = rows // gates
    biases = []
    for name in ("bias_ih", "bias_hh"):
        bias = layer.get(name)
        biases.append([0.0] * rows if bias is None else [float(b) for b in _as_list(bias)])
    if hidden < 1 or rows != gates * hidden or len(w_ih) != rows or any(len(r) != width for r in w_ih) \
            or any(len(r) != hidden for r in w_hh) or any(len(b) != rows for b in biases):
        raise ExportError(
            "%s: a %s over %d inputs has weight_ih [%d*H][%d], weight_hh [%d*H][H] and biases [%d*H] "
            "(H hidden units, gates %s)"
            % (where, kind, width, gates, width, gates, gates, "r, z, n" if kind == "GRU" else "i, f, g, o")
        )
    if layer.get("activation", "Linear") != "Linear":
        raise ExportError(
            "%s: a %s takes no activation (its output is its hidden state): put the activation "
            "on a Linear after it" % (where, kind)
        )
    checked = dict(layer, weight_ih=w_ih, weight_hh=w_hh, bias_ih=biases[0], bias_hh=biases[1])
    checked.pop("activation", None)
    return checked, hidden


def conv1d_length(length, kernel, stride=1, dilation=1, padding="valid"):
    """The output length of a Conv1d on ``length`` time steps, as PyTorch
    computes it: ``floor((L + pad - dilation*(K-1) - 1) / stride) + 1``, with
    ``pad`` 0 (``valid``) or ``dilation*(K-1)`` (``same``, stride 1: the
    length is kept). ``None`` where the kernel is longer than the (padded)
    sequence."""
    pad = dilation * (kernel - 1) if padding == "same" else 0
    span = dilation * (kernel - 1) + 1
    if span > length + pad:
        return None
    return (length + pad - span) // stride + 1


def same_padding(kernel, dilation=1):
    """``(left, right)``: the zeros ``padding = same`` puts on each side, as
    PyTorch's ``padding='same'`` does (an odd total has the extra zero on the
    right)."""
    total = dilation * (kernel - 1)
    return total // 2, total - total // 2


def pool1d_length(length, kernel, stride):
    """The output length of a pooling layer (no padding, floor mode):
    ``floor((L - K) / S) + 1``; ``None`` where the pool is longer than the
    sequence."""
    if kernel > length:
        return None
    return (length - kernel) // stride + 1


def _positive_int(value):
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _check_window_layer(layer, shape, where):
    """One Conv1d, pooling or Flatten layer on ``shape``: the layer with its
    options filled in and plain-list parameters, and its output shape."""
    kind = _kind(layer)
    if not isinstance(shape, tuple):
        raise ExportError(
            "%s: a %s works on a window [C; LEN], not on the vector of %d its input is "
            "(no window layer after a dense layer, a Flatten or a global pooling)" % (where, kind, shape)
        )
    channels, length = shape
    if kind == "Conv1d":
        weight = [[_as_list(k) for k in _as_list(row)] for row in _as_list(layer["weight"])]
        bias = _as_list(layer["bias"])
        kernel = len(weight[0][0]) if weight and weight[0] else 0
        if not weight or len(weight) != len(bias) or any(
            len(row) != len(weight[0]) or any(len(k) != kernel for k in row) for row in weight
        ) or kernel < 1:
            raise ExportError(
                "%s: weight must be [out_channels][in_channels][kernel] with one bias per output channel" % where
            )
        if len(weight[0]) != channels:
            raise ExportError(
                "%s: in_channels=%d, but its input %s has %d channels"
                % (where, len(weight[0]), _shape_text(shape), channels)
            )
        out = dict(layer, weight=weight, bias=bias, kernel=kernel)
        out.setdefault("activation", "Linear")
        out.setdefault("stride", 1)
        out.setdefault("dilation", 1)
        out.setdefault("padding", "valid")
        if not _positive_int(out["stride"]) or not _positive_int(out["dilation"]):
            raise ExportError("%s: stride and dilation are whole numbers of 1 or more" % where)
        if out["padding"] not in PADDINGS:
            raise ExportError("%s: padding is 'valid' or 'same', not %r" % (where, out["padding"]))
        if out["padding"] == "same" and out["stride"] != 1:
            raise ExportError("%s: padding = same is only supported with stride 1, not %d" % (where, out["stride"]))
        if out["activation"] == "Softmax":
            raise ExportError("%s: Softmax is only supported on the last layer, a dense one" % where)
        _layer_text(out, canonical=True)
        new_length = conv1d_length(length, kernel, out["stride"], out["dilation"], out["padding"])
        if new_length is None:
            raise ExportError(
                "%s: its kernel spans %d time steps (kernel_size=%d, dilation=%d), longer than the %d of its input %s"
                % (where, out["dilation"] * (kernel - 1) + 1, kernel, out["dilation"], length, _shape_text(shape))
            )
        return out, (len(bias), new_length)
    if kind in ("MaxPool1d", "AvgPool1d"):
        out = dict(layer)
        out.setdefault("stride", out.get("kernel"))
        if not _positive_int(out.get("kernel")) or not _positive_int(out["stride"]):
            raise ExportError("%s: kernel and stride are whole numbers of 1 or more" % where)
        new_length = pool1d_length(length, out["kernel"], out["stride"])
        if new_length is None:
            raise ExportError(
                "%s: kernel_size=%d is longer than the %d time steps of its input %s"
                % (where, out["kernel"], length, _shape_text(shape))
            )
        return out, (channels, new_length)
    if kind == "GlobalAvgPool1d":
        return dict(layer), channels
    if kind == "Flatten":
        return dict(layer), channels * length
    raise ExportError("%s: unknown layer kind %r, expected Dense or one of %s" % (where, kind, ", ".join(WINDOW_KINDS)))


def _check_inputs(inputs):
    """The input as ``int`` (a width) or ``(C, LEN)`` (a window)."""
    if isinstance(inputs, (tuple, list)):
        if len(inputs) != 2 or not all(_positive_int(v) for v in inputs):
            raise ExportError("a window input is (channels, length), two whole numbers of 1 or more, not %r" % (inputs,))
        return tuple(inputs)
    return inputs


def layer_shapes(inputs, layers):
    """The shape after each layer: a width, or ``(C, LEN)`` for a window."""
    shapes = []
    for layer in check_layers(inputs, layers):
        shapes.append(layer["shape"])
    return shapes


def check_layers(inputs, layers):
    """Checks widths and shapes, as the ``network!`` macro does; returns the
    layers with plain-list weights and biases, options filled in, and the
    ``shape`` each one outputs."""
    out = []
    shape = _check_inputs(inputs)
    _check_recurrent_input(shape, layers)
    for k, layer in enumerate(layers):
        where = layer.get("module") or "layer %d (%s)" % (k + 1, _kind(layer))
        if _kind(layer) in RECURRENT_KINDS:
            checked, shape = _check_recurrent_layer(layer, shape, where)
            out.append(dict(checked, shape=shape))
            continue
        if _kind(layer) != "Dense":
            checked, shape = _check_window_layer(layer, shape, where)
            out.append(dict(checked, shape=shape))
            continue
        if isinstance(shape, tuple):
            raise ExportError(
                "%s: a dense layer on the window %s would act on its last dimension only: put "
                "nn.Flatten() (Flatten) or nn.AdaptiveAvgPool1d(1), nn.Flatten() (GlobalAvgPool1d) before it"
                % (where, _shape_text(shape))
            )
        width = shape
        weight = [_as_list(row) for row in _as_list(layer["weight"])]
        bias = _as_list(layer["bias"])
        if len(weight) != len(bias) or any(len(row) != width for row in weight):
            raise ExportError(
                "%s: weight must be [%d][%d] (out x in) to match its %d biases and input width %d"
                % (layer.get("module") or "layer %d" % (k + 1), len(bias), width, len(bias), width)
            )
        if layer["activation"] == "Softmax" and k != len(layers) - 1:
            raise ExportError("layer %d: Softmax is only supported on the last layer" % (k + 1))
        _layer_text(layer, canonical=True)
        shape = len(bias)
        out.append(dict(layer, weight=weight, bias=bias, shape=shape))
    if not out:
        raise ExportError("a network needs at least one Linear layer")
    if _kind(out[-1]) != "Dense":
        raise ExportError(
            "the last layer is a %s: a network ends in a dense layer (nn.Linear)" % _kind(out[-1])
        )
    return out


def is_window(inputs):
    return isinstance(inputs, (tuple, list))


def _check_recurrent_input(shape, layers):
    """A recurrent network reads one step's values at a time: no window
    input, no Conv1d, pooling or Flatten layer (``network!`` refuses them
    too)."""
    recurrent = [k for k, layer in enumerate(layers) if _kind(layer) in RECURRENT_KINDS]
    if not recurrent:
        return
    k = recurrent[0]
    where = layers[k].get("module") or "layer %d (%s)" % (k + 1, _kind(layers[k]))
    window = [layer for layer in layers if _kind(layer) in WINDOW_KINDS]
    if is_window(shape) or window:
        raise ExportError(
            "%s: a recurrent network's input is one step's values, so it has no window input [C; LEN] "
            "and no %s layer: export the recurrent model without them"
            % (where, _kind(window[0]) if window else "Conv1d or pooling")
        )


def architecture_text(inputs, layers, layout="output_major"):
    """The network's ``ARCHITECTURE`` text, which the fingerprint covers."""
    return LAYOUTS[layout] + spec_text(inputs, layers)


def export_layers(inputs, layers, dtype="f32", layout="output_major"):
    """The blob of a network given as plain data.

    ``layers`` is a list of dicts ``{"weight": [[...]] (out x in), "bias": [...],
    "activation": "ReLU"}``, with an activation's parameters under their
    names in the table (``"slope": 0.01`` for LeakyReLU, ``"alpha": 1.0``
    for ELU; the table's default where absent). ``layout`` is
    ``"output_major"`` (the default ``network!``) or ``"input_major"`` (a
    network declared ``#[layout(input_major)]``: weights written [in][out]).
    Returns ``(blob, spec)`` with the ``network!`` spec to declare.
    """
    _check_options(dtype, layout, inputs)
    layers = check_layers(inputs, layers)
    _check_recurrent_options(layers, layout)
    blob = _blob(layers, dtype, layout, architecture_text(inputs, layers, layout))
    return blob, spec_text(inputs, layers, canonical=False)


def _check_options(dtype, layout, inputs=None):
    if dtype not in KINDS:
        raise ExportError("dtype must be 'f32', 'f64', 'Q16_16' or 'Q8_8', not %r" % (dtype,))
    if layout not in LAYOUTS:
        raise ExportError("layout must be 'output_major' or 'input_major', not %r" % (layout,))
    if layout != "output_major" and is_window(inputs):
        raise ExportError(
            "layout=%r is for dense networks: a window network's parameters are in PyTorch's order" % layout
        )


def _check_recurrent_options(layers, layout):
    """A recurrent network's blob is written in the default layout, whole."""
    if layout != "output_major" and is_recurrent(layers):
        raise ExportError(
            "layout=%r is for dense networks: a recurrent network's blob is written in the default "
            "layout (declare it without #[layout(input_major)])" % layout
        )


def _blob(layers, dtype, layout, architecture):
    """The blob of checked ``layers``, fingerprinted with ``architecture``."""
    kind, fmt, _, frac = KINDS[dtype]
    params = []
    for layer in layers:
        if _kind(layer) in RECURRENT_KINDS:
            # PyTorch's weight_ih_l0, weight_hh_l0 row-major, bias_ih_l0, bias_hh_l0.
            for name in ("weight_ih", "weight_hh"):
                for row in layer[name]:
                    params.extend(float(w) for w in row)
            params.extend(float(b) for b in layer["bias_ih"])
            params.extend(float(b) for b in layer["bias_hh"])
            continue
        if _kind(layer) == "Conv1d":
            # PyTorch's conv.weight [out][in][kernel], row-major, then the bias.
            for row in layer["weight"]:
                for taps in row:
                    params.extend(float(w) for w in taps)
            params.extend(float(b) for b in layer["bias"])
            continue
        if _kind(layer) != "Dense":
            continue  # pooling and Flatten have no parameters
        rows = layer["weight"]
        if layout == "input_major":
            rows = [list(column) for column in zip(*rows)]
        for row in rows:
            params.extend(float(w) for w in row)
        params.extend(float(b) for b in layer["bias"])
    if frac is not None:
        params = [_to_fixed(p, fmt, frac, k) for k, p in enumerate(params)]
    return _seal(kind, architecture, b"".join(struct.pack(fmt, p) for p in params), len(params))


def _to_fixed(value, fmt, frac, index):
    """The raw integer of a fixed-point parameter: ``value * 2^frac``
    rounded to nearest, ties away from zero (as the Rust ``from_f64``
    rounds). A value whose raw integer would reach the type's bounds is
    refused: the Rust side counts a value at a bound as saturated."""
    bits = 8 * struct.calcsize(fmt)
    scaled = value * (1 << frac)
    if not math.isfinite(scaled):
        raise ExportError("parameter %d is %r, which a fixed-point blob cannot hold" % (index, value))
    raw = int(math.floor(abs(scaled) + 0.5)) * (1 if scaled >= 0 else -1)
    if not -(1 << (bits - 1)) < raw < (1 << (bits - 1)) - 1:
        raise ExportError(
            "parameter %d is %r, out of the fixed-point range (+-%d)" % (index, value, 1 << (bits - 1 - frac))
        )
    return raw


def _seal(kind, architecture, values, count):
    """A version 2 blob: header, ``architecture`` text, the packed
    ``values`` (``count`` parameters), CRC-32."""
    text = architecture.encode("ascii")
    fingerprint = zlib.crc32(text)
    blob = MAGIC + struct.pack("<HBBIII", VERSION, kind, 0, fingerprint, count, len(text)) + text
    blob += values
    blob += struct.pack("<I", zlib.crc32(blob))
    return blob


def _chain_parts(inputs, layers, parts, layout, name, counts):
    """Walks a chain's ``parts`` over ``layers``.

    Returns ``(texts, names, lines, used)``: each part's ``ARCHITECTURE`` text
    in parentheses; the parts' names (``{name}Part{k}`` for networks,
    ``{name}Chain{k}`` for chains inside the chain, numbered through
    ``counts``); the ``network!`` lines that declare them; and the number of
    layers used."""
    if not isinstance(parts, (list, tuple)) or len(parts) < 2:
        raise ExportError("a chain has two parts or more, not %r" % (parts,))
    texts, names, lines, used, width = [], [], [], 0, inputs
    for part in parts:
        if isinstance(part, (list, tuple)):
            inner_texts, inner_names, inner_lines, inner_used = _chain_parts(
                width, layers[used:], part, layout, name, counts
            )
            counts["chain"] += 1
            names.append("%sChain%d" % (name, counts["chain"]))
            texts.append("(" + " => ".join(inner_texts) + ")")
            lines += inner_lines + ["pub struct %s: %s;" % (names[-1], " => ".join(inner_names))]
            used += inner_used
        elif isinstance(part, int) and not isinstance(part, bool) and part >= 1:
            own = layers[used : used + part]
            if len(own) != part:
                raise ExportError("the parts %r ask for more layers than the %d there are" % (parts, len(layers)))
            counts["part"] += 1
            names.append("%sPart%d" % (name, counts["part"]))
            texts.append("(" + architecture_text(width, own, layout) + ")")
            lines.append("%spub struct %s: %s;" % (LAYOUTS[layout], names[-1], spec_text(width, own, canonical=False)))
            used += part
        else:
            raise ExportError("a part is a number of layers (1 or more) or a list of parts, not %r" % (part,))
        width = len(layers[used - 1]["bias"])
    return texts, names, lines, used


def _chain(inputs, layers, parts, layout, name):
    """``(ARCHITECTURE text, network! lines)`` of the chain ``name``."""
    if is_window(inputs):
        raise ExportError("a chain of window networks cannot be exported: export the network whole")
    if is_recurrent(layers):
        raise ExportError("a chain of recurrent networks cannot be exported: export the network whole")
    texts, names, lines, used = _chain_parts(inputs, layers, parts, layout, name, {"part": 0, "chain": 0})
    if used != len(layers):
        raise ExportError("the parts %r cover %d of the %d layers" % (parts, used, len(layers)))
    return " => ".join(texts), lines + ["pub struct %s: %s;" % (name, " => ".join(names))]


def chain_architecture_text(inputs, layers, parts, layout="output_major"):
    """The ``ARCHITECTURE`` text of the chain that splits ``layers`` into
    ``parts``: each part's text in parentheses, joined by `` => ``."""
    _check_options("f32", layout)
    return _chain(inputs, check_layers(inputs, layers), parts, layout, "Net")[0]


def export_chain(inputs, layers, parts, dtype="f32", layout="output_major", name="Net"):
    """The blob of a network given as plain data, for a chain of parts.

    ``parts`` splits the layers, in order, into the chain's parts: each item
    is a number of layers (a network) or a list of parts (a chain inside the
    chain), e.g. ``[1, 2]`` for ``struct Net: A => B;`` with ``A`` the first
    layer and ``B`` the other two, or ``[[1, 1], 1]`` for
    ``struct Net: AB => C;`` with ``AB`` itself a chain. The parameters are
    those :func:`export_layers` writes; only the fingerprint differs, since a
    chain's ``ARCHITECTURE`` names its parts. Every part takes ``layout``.
    Returns ``(blob, declarations)``, the ``network!`` lines that declare the
    parts and the chain ``name``.
    """
    _check_options(dtype, layout)
    layers = check_layers(inputs, layers)
    text, lines = _chain(inputs, layers, parts, layout, name)
    return _blob(layers, dtype, layout, text), "\n".join(lines)


def read_blob(blob):
    """Parses and checks a blob: ``(kind name, architecture text, parameters)``."""
    if len(blob) < 24 or blob[:4] != MAGIC:
        raise ExportError("not a BPNN blob")
    version, kind, reserved, fingerprint, count, text_len = struct.unpack("<HBBIII", blob[4:20])
    if version != VERSION or reserved != 0:
        hint = " (convert it with --upgrade)" if version == 1 else ""
        raise ExportError("unsupported version %d or reserved byte %d%s" % (version, reserved, hint))
    if zlib.crc32(blob[:-4]) != struct.unpack("<I", blob[-4:])[0]:
        raise ExportError("checksum mismatch")
    name = KIND_NAMES.get(kind)
    if name is None:
        raise ExportError("unknown scalar kind byte %d" % kind)
    text = blob[20 : 20 + text_len]
    if len(text) != text_len or zlib.crc32(text) != fingerprint:
        raise ExportError("the architecture text does not match its fingerprint")
    _, fmt, size, frac = KINDS[name]
    at = 20 + text_len
    if len(blob) != at + count * size + 4:
        raise ExportError("length %d does not match %d parameters" % (len(blob), count))
    params = [struct.unpack(fmt, blob[at + size * i : at + size * (i + 1)])[0] for i in range(count)]
    if frac is not None:
        params = [p / (1 << frac) for p in params]
    return name, text.decode("ascii"), params


def upgrade(old, architecture):
    """A version 1 blob as version 2, for the network whose ``ARCHITECTURE``
    is ``architecture``. Version 1 recorded only the text's CRC-32, so the
    text must be given; it is refused unless its CRC-32 is the old blob's
    fingerprint (the text a version 1 blob was written for cannot be read
    back from it)."""
    if len(old) < 20 or old[:4] != MAGIC:
        raise ExportError("not a BPNN blob")
    version, kind, reserved, fingerprint, count = struct.unpack("<HBBII", old[4:16])
    if version != 1 or reserved != 0:
        raise ExportError("not a version 1 blob (version %d, reserved byte %d)" % (version, reserved))
    if zlib.crc32(old[:-4]) != struct.unpack("<I", old[-4:])[0]:
        raise ExportError("checksum mismatch")
    name = {1: "f32", 2: "f64"}.get(kind)
    if name is None:
        raise ExportError("unknown scalar kind byte %d" % kind)
    if len(old) != 20 + count * KINDS[name][2]:  # version 1 had floats only
        raise ExportError("length %d does not match %d parameters" % (len(old), count))
    if zlib.crc32(architecture.encode("ascii")) != fingerprint:
        raise ExportError(
            "%r is not the architecture this blob was saved from (its fingerprint is %#010x); "
            "give the network's ARCHITECTURE text exactly" % (architecture, fingerprint)
        )
    return _seal(kind, architecture, old[16:-4], count)


def _round_f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def _sigmoid(v):
    if v >= 0:
        return 1.0 / (1.0 + math.exp(-v))
    e = math.exp(v)
    return e / (1.0 + e)


def _activate(layer, z):
    """``layer``'s activation on the pre-activations ``z``."""
    act = layer.get("activation", "Linear")
    params = _params(act, layer)
    if act == "ReLU":
        h = [max(0.0, v) for v in z]
    elif act == "LeakyReLU":
        h = [v if v > 0 else params[0] * v for v in z]
    elif act == "Sigmoid":
        h = [1.0 / (1.0 + math.exp(-v)) for v in z]
    elif act == "Tanh":
        h = [math.tanh(v) for v in z]
    elif act == "SiLU":
        h = [v * _sigmoid(v) for v in z]
    elif act == "GELU":
        h = [0.5 * v * math.erfc(-v / math.sqrt(2.0)) for v in z]
    elif act == "GELU(tanh)":
        h = [v * _sigmoid(2.0 * math.sqrt(2.0 / math.pi) * (v + 0.044715 * v ** 3)) for v in z]
    elif act == "ELU":
        h = [v if v > 0 else params[0] * math.expm1(v) for v in z]
    elif act == "Softplus":
        h = [v if v > 20 else max(v, 0.0) + math.log1p(math.exp(-abs(v))) for v in z]
    elif act == "ReLU6":
        h = [min(max(v, 0.0), 6.0) for v in z]
    elif act == "Hardtanh":
        h = [min(max(v, -1.0), 1.0) for v in z]
    elif act == "Softmax":
        m = max(z)
        e = [math.exp(v - m) for v in z]
        h = [v / sum(e) for v in e]
    else:
        h = z
    return h


def _conv1d(layer, h, rnd):
    """A Conv1d on ``h``, ``[C][LEN]``: ``out[o][t] = b[o] + sum over c, k of
    w[o][c][k] * x[c][t*stride + k*dilation - left]``, zeros outside."""
    stride, dilation = layer.get("stride", 1), layer.get("dilation", 1)
    weight = layer["weight"]
    kernel = len(weight[0][0])
    left = same_padding(kernel, dilation)[0] if layer.get("padding", "valid") == "same" else 0
    length = conv1d_length(len(h[0]), kernel, stride, dilation, layer.get("padding", "valid"))
    out = []
    for row, b in zip(weight, layer["bias"]):
        z = []
        for t in range(length):
            acc = rnd(b)
            for c, taps in enumerate(row):
                for k, w in enumerate(taps):
                    at = t * stride + k * dilation - left
                    if 0 <= at < len(h[c]):
                        acc += rnd(w) * h[c][at]
            z.append(acc)
        out.append(_activate(layer, z))
    return out


def forward(layers, x, dtype="f32"):
    """A float64 reference forward pass over the parameters as stored
    (rounded to f32 for ``dtype="f32"``), independent of the Rust code.
    A window network's ``x`` is PyTorch's ``[C][LEN]`` (one sample, without
    the batch dimension); the Rust input is its transpose, ``x[t][c]``."""
    rnd = _round_f32 if dtype == "f32" else float
    if x and isinstance(x[0], (list, tuple)):
        h = [[rnd(v) for v in row] for row in x]
    else:
        h = [rnd(v) for v in x]
    for layer in layers:
        kind = _kind(layer)
        if kind == "Conv1d":
            h = _conv1d(layer, h, rnd)
        elif kind in ("MaxPool1d", "AvgPool1d"):
            kernel = layer["kernel"]
            stride = layer.get("stride") or kernel
            length = pool1d_length(len(h[0]), kernel, stride)
            pool = max if kind == "MaxPool1d" else (lambda w: sum(w) / len(w))
            h = [[pool(row[t * stride : t * stride + kernel]) for t in range(length)] for row in h]
        elif kind == "GlobalAvgPool1d":
            h = [sum(row) / len(row) for row in h]
        elif kind == "Flatten":
            h = [v for row in h for v in row]  # channel-major: c * LEN + t
        else:
            h = _dense(layer, h, rnd)
    return h


def _dense(layer, h, rnd):
    """A dense layer then its activation on the vector ``h``."""
    z = [rnd(b) + sum(rnd(w) * v for w, v in zip(row, h)) for row, b in zip(layer["weight"], layer["bias"])]
    return _activate(layer, z)


def _affine(rows, bias, h, rnd):
    return [rnd(b) + sum(rnd(w) * v for w, v in zip(row, h)) for row, b in zip(rows, bias)]


def _recurrent_step(layer, x, state, rnd):
    """One step of a GRU or an LSTM, PyTorch's equations: the new state,
    ``{"h": [H]}`` (and ``"c"`` for an LSTM)::

        GRU:  r = s(W_ir x + b_ir + W_hr h + b_hr)    z = s(W_iz x + b_iz + W_hz h + b_hz)
              n = tanh(W_in x + b_in + r * (W_hn h + b_hn))    h' = (1 - z) * n + z * h
        LSTM: i, f, o = s(W_i* x + b_i* + W_h* h + b_h*)       g = tanh(W_ig x + b_ig + W_hg h + b_hg)
              c' = f * c + i * g    h' = o * tanh(c')
    """
    hidden = _hidden(layer)
    h = state["h"]
    gi = _affine(layer["weight_ih"], layer["bias_ih"], x, rnd)
    gh = _affine(layer["weight_hh"], layer["bias_hh"], h, rnd)
    gate = lambda k, j: gi[k * hidden + j] + gh[k * hidden + j]  # noqa: E731
    if _kind(layer) == "GRU":
        new = []
        for j in range(hidden):
            r, z = _sigmoid(gate(0, j)), _sigmoid(gate(1, j))
            n = math.tanh(gi[2 * hidden + j] + r * gh[2 * hidden + j])
            new.append((1.0 - z) * n + z * h[j])
        return {"h": new}
    c = [
        _sigmoid(gate(1, j)) * state["c"][j] + _sigmoid(gate(0, j)) * math.tanh(gate(2, j))
        for j in range(hidden)
    ]
    return {"h": [_sigmoid(gate(3, j)) * math.tanh(c[j]) for j in range(hidden)], "c": c}


def forward_sequence(layers, xs, dtype="f32"):
    """A float64 reference forward pass of a recurrent network over the
    sequence ``xs`` (``[T][IN]``, ``xs[t]`` the input at step ``t``) from
    the zero state, as :func:`forward` is for one input: the output at every
    step, ``[T][OUT]``. A dense layer acts on each step's values."""
    rnd = _round_f32 if dtype == "f32" else float
    states = [
        {"h": [0.0] * _hidden(layer), "c": [0.0] * _hidden(layer)} if _kind(layer) in RECURRENT_KINDS else None
        for layer in layers
    ]
    outputs = []
    for x in xs:
        h = [rnd(v) for v in x]
        for k, layer in enumerate(layers):
            if _kind(layer) in RECURRENT_KINDS:
                states[k] = _recurrent_step(layer, h, states[k], rnd)
                h = states[k]["h"]
            else:
                h = _dense(layer, h, rnd)
        outputs.append(h)
    return outputs


def _module_activation(nn, module, where):
    """The built-in activation a ``torch.nn`` module stands for, as
    ``(spelling, {parameter: value})``; ``None`` for a module no row of the
    table names; ExportError for a module that a row names but whose
    settings no row supports. A subclass counts as its class (PyTorch's
    ``ReLU6`` is a ``Hardtanh``: the row of its own class comes first)."""
    rows = [
        b for b in BUILTINS
        if b["torch"][0] != "Identity" and isinstance(module, getattr(nn, b["torch"][0], ()))
    ]
    if not rows:
        return None
    rows.sort(key=lambda b: b["torch"][0] != type(module).__name__)
    refusals = []
    for row in rows:
        params, wrong = {}, None
        for attr, required in row["torch"][1]:
            value = getattr(module, attr)
            if required is None:
                params[row["params"][len(params)][0]] = float(value)
            elif not _same_setting(value, required):
                wrong = (attr, value, required)
                break
        if wrong is None:
            return row["spelling"], params
        refusals.append(wrong)
    # Name the first setting that differs, and every value the table takes.
    attr, value = refusals[0][0], refusals[0][1]
    allowed = " or ".join("%s=%s" % (a, r) for a, v, r in refusals if a == attr)
    raise ExportError("%s: %s=%r is not supported (only %s)" % (where, attr, value, allowed))


def _same_setting(value, required):
    """Whether a module's attribute has the value the table requires
    (``none``, ``tanh``, ``1``, ``-1``...)."""
    if isinstance(value, str):
        return value == required
    try:
        return float(value) == float(required)
    except (TypeError, ValueError):
        return False


def _single(value):
    """A 1-d module's size, which PyTorch keeps as an int or a 1-tuple."""
    if isinstance(value, (tuple, list)) and len(value) == 1:
        return value[0]
    return value


def _refuse_setting(where, attr, value, allowed):
    raise ExportError("%s: %s=%r is not supported (only %s)" % (where, attr, value, allowed))


def _conv1d_layer(module, where):
    """The Conv1d layer of an ``nn.Conv1d``, or ExportError naming the
    setting that ``network!`` has no spelling for."""
    kernel, stride, dilation = (_single(getattr(module, a)) for a in ("kernel_size", "stride", "dilation"))
    if module.groups != 1:
        _refuse_setting(where, "groups", module.groups, "groups=1")
    if module.padding_mode != "zeros":
        _refuse_setting(where, "padding_mode", module.padding_mode, "padding_mode='zeros'")
    padding = _single(module.padding)
    total = dilation * (kernel - 1)
    if padding == "same":
        if stride != 1:
            raise ExportError("%s: padding='same' is only supported with stride=1, not stride=%r" % (where, stride))
    elif padding in ("valid", 0):
        padding = "valid"
    elif stride == 1 and isinstance(padding, int) and 2 * padding == total:
        padding = "same"  # the zeros padding='same' puts on each side
    else:
        raise ExportError(
            "%s: padding=%r is not supported (only padding=0 or 'valid', or padding='same', or the integer "
            "padding='same' gives, which exists only with stride=1 and an even dilation*(kernel_size-1): "
            "here stride=%r, dilation*(kernel_size-1)=%d)" % (where, padding, stride, total)
        )
    out_channels = module.out_channels
    weight = module.weight.detach().double().tolist()
    # Without a bias, as for a Linear: biases of 0 compute the same.
    bias = module.bias.detach().double().tolist() if module.bias is not None else [0.0] * out_channels
    return {"kind": "Conv1d", "weight": weight, "bias": bias, "stride": stride,
            "dilation": dilation, "padding": padding, "module": where}


def _pool1d_layer(nn, module, where):
    """The MaxPool1d or AvgPool1d layer of a PyTorch pooling module: no
    padding, floor mode (and for MaxPool1d no dilation, no indices)."""
    kind = "MaxPool1d" if isinstance(module, nn.MaxPool1d) else "AvgPool1d"
    if _single(module.padding) != 0:
        _refuse_setting(where, "padding", _single(module.padding), "padding=0")
    if module.ceil_mode:
        _refuse_setting(where, "ceil_mode", module.ceil_mode, "ceil_mode=False")
    if kind == "MaxPool1d":
        if _single(module.dilation) != 1:
            _refuse_setting(where, "dilation", _single(module.dilation), "dilation=1")
        if module.return_indices:
            _refuse_setting(where, "return_indices", module.return_indices, "return_indices=False")
    kernel = _single(module.kernel_size)
    stride = _single(module.stride)
    if stride is None or stride == ():
        stride = kernel
    return {"kind": kind, "kernel": kernel, "stride": stride, "module": where}


def _recurrent_layer(nn, module, where):
    """The GRU or LSTM layer of an ``nn.GRU`` or ``nn.LSTM``, or ExportError
    naming the setting that ``network!`` has no layer for. ``batch_first``
    does not change the weights; ``dropout`` acts only between stacked
    layers, so with one layer it is a no-op."""
    kind = "LSTM" if isinstance(module, nn.LSTM) else "GRU"
    hidden = module.hidden_size
    if module.num_layers != 1:
        raise ExportError(
            "%s: num_layers=%d is not supported (only num_layers=1): stack one-layer modules, "
            "one per layer, which network! writes `%d %s => %d %s`"
            % (where, module.num_layers, hidden, kind, hidden, kind)
        )
    if module.bidirectional:
        _refuse_setting(where, "bidirectional", True,
                        "bidirectional=False: a network! layer runs forward in time, one step at a time")
    if getattr(module, "proj_size", 0):
        _refuse_setting(where, "proj_size", module.proj_size, "proj_size=0: the hidden state is the output")
    params = {"kind": kind, "module": where}
    for name in ("weight_ih", "weight_hh"):
        params[name] = getattr(module, name + "_l0").detach().double().tolist()
    for name in ("bias_ih", "bias_hh"):
        # Without biases (bias=False), as for a Linear: biases of 0 compute the same.
        params[name] = getattr(module, name + "_l0").detach().double().tolist() if module.bias else None
    return params


def _modules(nn, model):
    """The modules of a model given as an ``nn.Sequential``, an
    ``nn.ModuleList`` or a list of modules, in order."""
    if isinstance(model, (list, tuple)):
        return list(model)
    if isinstance(model, (nn.Sequential, nn.ModuleList)):
        return list(model.children())
    raise ExportError(
        "the model is a %s, not an nn.Sequential, an nn.ModuleList or a list of modules, so its forward() "
        "cannot be read: pass its modules in the order forward() runs them (e.g. list(model.children())), "
        "or export its state_dict with the spec instead, export_state_dict(model.state_dict(), "
        "\"IN => W ACT => ...\") or --state-dict FILE --spec '...'" % type(model).__name__
    )


def sequential_layers(model, window=None):
    """``(inputs, layers)`` of a PyTorch ``nn.Sequential`` (or an
    ``nn.ModuleList``, or a list of modules: the exporter only reads the
    modules in order, and a GRU or an LSTM, which returns a tuple, cannot
    run inside an ``nn.Sequential``), or ExportError.

    ``window=(C, LEN)`` is the input of a network that starts with a
    ``Conv1d`` or a pooling layer (PyTorch's ``[batch][C][LEN]``); without
    it the input is the first ``Linear``'s ``in_features`` or the first
    ``GRU``'s or ``LSTM``'s ``input_size``."""
    import torch.nn as nn  # only this function needs PyTorch

    modules = _modules(nn, model)
    layers = []
    inputs = None if window is None else _check_inputs(tuple(window))
    if inputs is not None and not is_window(inputs):
        raise ExportError("window is (channels, length), not %r" % (window,))
    pending = None  # a Linear or Conv1d waiting for its activation
    global_pool = None  # an AdaptiveAvgPool1d(1) waiting for its Flatten

    def flush():
        nonlocal pending
        if pending is not None:
            layers.append(dict(pending, activation="Linear"))
            pending = None

    for index, module in enumerate(modules):
        where = "module %d (%s)" % (index, type(module).__name__)
        if isinstance(module, nn.Identity):
            continue
        if isinstance(module, nn.Dropout):
            warnings.warn(
                "%s dropped: dropout is the identity at inference, and the network trains without it"
                % where
            )
            continue
        if global_pool is not None and not isinstance(module, nn.Flatten):
            if isinstance(module, nn.Linear):
                raise ExportError(
                    "%s: after %s the tensor is [C][1], and a Linear would act on its last dimension, "
                    "of length 1: put nn.Flatten() between them (AdaptiveAvgPool1d(1) then Flatten is "
                    "GlobalAvgPool1d)" % (where, global_pool)
                )
            raise ExportError(
                "%s: %s must be followed by nn.Flatten() (the two are GlobalAvgPool1d)" % (where, global_pool)
            )
        if isinstance(module, nn.RNN):
            raise ExportError(
                "%s: nn.RNN (the Elman cell) has no network! layer: use nn.GRU (`H GRU`) or nn.LSTM (`H LSTM`)"
                % where
            )
        if isinstance(module, (nn.GRU, nn.LSTM)):
            flush()
            if inputs is None:
                inputs = module.input_size
            layers.append(_recurrent_layer(nn, module, where))
            continue
        if isinstance(module, nn.Linear):
            flush()
            if inputs is None:
                inputs = module.in_features
            weight = module.weight.detach().double().tolist()
            bias = (
                module.bias.detach().double().tolist()
                if module.bias is not None
                else [0.0] * module.out_features
            )
            pending = {"weight": weight, "bias": bias, "module": where}
            continue
        window_module = (nn.Conv1d, nn.MaxPool1d, nn.AvgPool1d, nn.AdaptiveAvgPool1d, nn.Flatten)
        if inputs is None and isinstance(module, window_module):
            raise ExportError(
                "%s: a network that starts with a %s reads a window [C; LEN]: give its shape, "
                "window=(C, LEN) (--window=C,LEN on the command line)" % (where, type(module).__name__)
            )
        if isinstance(module, nn.Conv1d):
            flush()
            pending = _conv1d_layer(module, where)
            continue
        if isinstance(module, (nn.MaxPool1d, nn.AvgPool1d)):
            flush()
            layers.append(_pool1d_layer(nn, module, where))
            continue
        if isinstance(module, nn.AdaptiveAvgPool1d):
            flush()
            if _single(module.output_size) != 1:
                _refuse_setting(where, "output_size", _single(module.output_size),
                                "output_size=1, which with nn.Flatten() after it is GlobalAvgPool1d")
            global_pool = where
            continue
        if isinstance(module, nn.Flatten):
            flush()
            if (module.start_dim, module.end_dim) != (1, -1):
                raise ExportError(
                    "%s: start_dim=%r, end_dim=%r is not supported (only start_dim=1, end_dim=-1)"
                    % (where, module.start_dim, module.end_dim)
                )
            if global_pool is not None:
                layers.append({"kind": "GlobalAvgPool1d", "module": "%s and %s" % (global_pool, where)})
                global_pool = None
            else:
                layers.append({"kind": "Flatten", "module": where})
            continue
        is_softmax = isinstance(module, nn.Softmax)
        found = None if is_softmax else _module_activation(nn, module, where)
        if found is not None or is_softmax:
            if pending is None:
                raise ExportError(
                    "%s: an activation must follow a Linear or Conv1d layer (no activation first, no two in a "
                    "row, none after a pooling layer or a Flatten, none after a GRU or an LSTM, whose output "
                    "is its hidden state)" % where
                )
            if is_softmax:
                if module.dim not in (-1, 1, None) or index != len(modules) - 1 or _kind(pending) != "Dense":
                    raise ExportError(
                        "%s: Softmax is supported only as the last module, over dim=-1, after a Linear" % where
                    )
                layer = dict(pending, activation="Softmax")
            else:
                spelling, params = found
                layer = dict(pending, activation=spelling, **params)
            layers.append(layer)
            pending = None
            continue
        raise ExportError(
            "%s is not supported: only Linear, Conv1d, MaxPool1d, AvgPool1d, AdaptiveAvgPool1d(1) then "
            "Flatten, Flatten, GRU, LSTM (one layer, one direction), Identity, %s and a final Softmax(dim=-1) "
            "can be exported"
            % (where, ", ".join(sorted({b["torch"][0] for b in BUILTINS} - {"Identity"})))
        )
    if global_pool is not None:
        raise ExportError(
            "%s must be followed by nn.Flatten() (the two are GlobalAvgPool1d), and the network by a Linear"
            % global_pool
        )
    flush()
    if inputs is None:
        raise ExportError("the model has no Linear layer (nor a GRU or an LSTM)")
    if not any(_kind(l) == "Dense" for l in layers):
        raise ExportError("the model has no Linear layer: a network ends in a dense layer")
    return inputs, check_layers(inputs, layers)


def export_sequential(model, dtype="f32", layout="output_major", parts=None, window=None):
    """The blob and ``network!`` spec of a PyTorch ``nn.Sequential``; with
    ``parts``, the blob of a chain and its declarations (:func:`export_chain`).
    ``window=(C, LEN)`` gives the input of a network of Conv1d and pooling
    layers (:func:`sequential_layers`)."""
    inputs, layers = sequential_layers(model, window)
    if parts is not None:
        return export_chain(inputs, layers, parts, dtype, layout)
    return export_layers(inputs, layers, dtype, layout)


def _parse_activation(part, activation):
    """``(name, {parameter: value})`` of an activation as a spec writes it
    (``ReLU``, ``LeakyReLU(0.1)``), or ExportError naming ``part``."""
    if activation in ACTIVATIONS:
        return activation, {}
    name, _, args = activation.partition("(")
    params = _table_params(name)
    if name not in ACTIVATIONS or not args.endswith(")") or not params:
        raise ExportError("%r: unknown activation, expected one of %s" % (part, ", ".join(ACTIVATIONS)))
    try:
        values = [float(v) for v in args[:-1].split(",")]
    except ValueError:
        raise ExportError("%r: the arguments must be numbers" % part) from None
    if len(values) != len(params):
        raise ExportError("%r: %s takes %d argument(s)" % (part, name, len(params)))
    return name, {p: v for (p, _), v in zip(params, values)}


def _parse_window_layer(part):
    """A spec's ``Conv1d(16, kernel = 5) ReLU``, ``MaxPool1d(2, stride = 1)``,
    ``GlobalAvgPool1d`` or ``Flatten`` as a layer dict (a Conv1d's channels
    under ``out``), or None for a part that is none of them."""
    if part in ("GlobalAvgPool1d", "Flatten"):
        return {"kind": part}
    match = re.match(r"^(Conv1d|MaxPool1d|AvgPool1d)\s*\(([^)]*)\)\s*(.*)$", part)
    if not match:
        return None
    kind, args, activation = match.groups()
    args = [a.strip() for a in args.split(",")]
    options = {}
    for arg in args[1:]:
        name, eq, value = (x.strip() for x in arg.partition("="))
        if not eq or name in options:
            raise ExportError("%r: write the options as name = value, each once" % part)
        options[name] = value
    allowed = {"kernel", "stride", "dilation", "padding"} if kind == "Conv1d" else {"stride"}
    if set(options) - allowed or (kind == "Conv1d" and "kernel" not in options):
        raise ExportError(
            "%r: %s takes %s" % (part, kind, "(OUT_CH, kernel = K[, stride = S][, dilation = D][, padding = same])"
                                 if kind == "Conv1d" else "(K[, stride = S])")
        )
    try:
        numbers = {k: int(v) for k, v in options.items() if k != "padding"}
        first = int(args[0])
    except ValueError:
        raise ExportError("%r: sizes are whole numbers" % part) from None
    if kind != "Conv1d":
        if activation:
            raise ExportError("%r: a pooling layer has no activation" % part)
        return {"kind": kind, "kernel": first, "stride": numbers.get("stride", first)}
    layer = {"kind": kind, "out": first, "kernel": numbers["kernel"], "stride": numbers.get("stride", 1),
             "dilation": numbers.get("dilation", 1), "padding": options.get("padding", "valid")}
    name, params = _parse_activation(part, activation or "Linear")
    return dict(layer, activation=name, **params)


def parse_spec(spec):
    """``(inputs, [(width, activation, {parameter: value}), ...])`` of a spec
    as ``network!`` writes it (``3 => 8 LeakyReLU(0.1) => 2 Softmax``), or
    ExportError naming the part it cannot read. A window network's input is
    ``(C, LEN)`` (``[3; 64] => ...``) and its Conv1d, pooling and Flatten
    layers are dicts (:func:`_parse_window_layer`)."""
    parts = [p.strip() for p in spec.split("=>")]
    window = re.match(r"^\[\s*(\d+)\s*;\s*(\d+)\s*\]$", parts[0])
    if window:
        inputs = (int(window.group(1)), int(window.group(2)))
    else:
        try:
            inputs = int(parts[0])
        except ValueError:
            raise ExportError("the spec %r does not start with the input width or a window [C; LEN]" % spec) from None
    if len(parts) < 2:
        raise ExportError("the spec %r has no layers" % spec)
    layers = []
    for part in parts[1:]:
        layer = _parse_window_layer(part)
        if layer is not None:
            layers.append(layer)
            continue
        width, _, activation = part.partition(" ")
        activation = activation.strip()
        if width.isdigit() and activation in RECURRENT_KINDS:
            layers.append({"kind": activation, "hidden": int(width)})
            continue
        if not width.isdigit() or not activation:
            raise ExportError("%r is not a layer: write a width and an activation, as in '8 ReLU'" % part)
        name, params = _parse_activation(part, activation)
        layers.append((int(width), name, params))
    return inputs, layers


def state_dict_layers(state_dict, spec):
    """``(inputs, layers)`` from a ``state_dict`` (a mapping of names to
    tensors or nested lists, in order) and the spec that says what they are:
    its 2-D ``*.weight`` entries are the dense layers' weights, in order,
    each with the ``*.bias`` of the same module (biases of 0 without one)."""
    inputs, wanted = parse_spec(spec)
    if any(isinstance(w, dict) and w["kind"] in RECURRENT_KINDS for w in wanted):
        return _recurrent_state_dict_layers(state_dict, inputs, wanted)
    if is_window(inputs):
        return _window_state_dict_layers(state_dict, inputs, wanted)
    weights = []
    for key, value in state_dict.items():
        if key.endswith(RECURRENT_KEYS):
            raise ExportError(
                "%s is a recurrent layer's parameter, and the spec has no GRU or LSTM: write it in the spec "
                "(`IN => H GRU => ...`)" % key
            )
        if not key.endswith(".weight"):
            continue
        rows = _as_list(value)
        if not rows or not isinstance(rows[0], (list, tuple)):
            raise ExportError(
                "%s is not a dense layer's weight (it is not 2-D): export dense layers only" % key
            )
        bias_key = key[: -len("weight")] + "bias"
        bias = _as_list(state_dict[bias_key]) if bias_key in state_dict else [0.0] * len(rows)
        weights.append((key, [list(map(float, r)) for r in rows], [float(b) for b in bias]))
    if len(weights) != len(wanted):
        raise ExportError(
            "the state dict has %d dense layers (%s), the spec %d"
            % (len(weights), ", ".join(k for k, _, _ in weights) or "none", len(wanted))
        )
    layers, width = [], inputs
    for (key, rows, bias), (out, activation, params) in zip(weights, wanted):
        if len(rows) != out or any(len(r) != width for r in rows):
            raise ExportError(
                "%s is %dx%d, but the spec's layer is %d => %d"
                % (key, len(rows), len(rows[0]), width, out)
            )
        layers.append(dict({"weight": rows, "bias": bias, "activation": activation}, **params))
        width = out
    return inputs, layers


# The parameters of a one-layer GRU or LSTM in a state dict.
RECURRENT_KEYS = ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0")


def _recurrent_state_dict_layers(state_dict, inputs, wanted):
    """A recurrent network's layers from its state dict: each ``*weight_ih_l0``
    entry is a GRU's or an LSTM's (with the ``weight_hh_l0``, ``bias_ih_l0``
    and ``bias_hh_l0`` of the same module, biases of 0 without them), the
    2-D ``*.weight`` entries the dense layers', in the spec's order."""
    _check_recurrent_input(inputs, [w if isinstance(w, dict) else {} for w in wanted])
    found = []
    for key, value in state_dict.items():
        if re.search(r"_l\d+_reverse$|_l[1-9]\d*$", key):
            raise ExportError(
                "%s belongs to a recurrent module with num_layers > 1 or bidirectional=True: only one-layer, "
                "one-direction modules are supported (stack one-layer modules, `16 GRU => 16 GRU`)" % key
            )
        if key.endswith("weight_hr_l0"):
            raise ExportError("%s belongs to an LSTM with proj_size > 0: only proj_size=0 is supported" % key)
        if key.endswith("weight_ih_l0"):
            prefix = key[: -len("weight_ih_l0")]
            params = {name: state_dict.get(prefix + name + "_l0") for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")}
            if params["weight_hh"] is None:
                raise ExportError("%s has no %sweight_hh_l0 beside it" % (key, prefix))
            found.append((key, "recurrent", params))
        elif key.endswith(".weight"):
            rows = _as_list(value)
            if not rows or not isinstance(rows[0], (list, tuple)):
                raise ExportError("%s is not a dense layer's weight (it is not 2-D)" % key)
            bias_key = key[: -len("weight")] + "bias"
            bias = _as_list(state_dict[bias_key]) if bias_key in state_dict else [0.0] * len(rows)
            found.append((key, "dense", {"weight": rows, "bias": bias}))
    if len(found) != len(wanted):
        raise ExportError(
            "the state dict has %d dense and recurrent layers (%s), the spec %d"
            % (len(found), ", ".join(k for k, _, _ in found) or "none", len(wanted))
        )
    layers = []
    for (key, what, params), item in zip(found, wanted):
        if isinstance(item, dict):
            rows = len(_as_list(params["weight_hh"]))
            if what != "recurrent" or rows != GATES[item["kind"]] * item["hidden"]:
                raise ExportError(
                    "%s is not the parameter of the spec's `%d %s` (weight_hh [%d][%d] expected)"
                    % (key, item["hidden"], item["kind"], GATES[item["kind"]] * item["hidden"], item["hidden"])
                )
            layers.append(dict(params, kind=item["kind"], module=key[: -len("weight_ih_l0")].rstrip(".") or key))
        else:
            out, activation, extra = item
            if what != "dense" or len(_as_list(params["weight"])) != out:
                raise ExportError("%s is not the weight of the spec's dense layer of %d" % (key, out))
            layers.append(dict(params, activation=activation, module=key, **extra))
    return inputs, check_layers(inputs, layers)


def _window_state_dict_layers(state_dict, inputs, wanted):
    """A window network's layers from its state dict: the 3-D ``*.weight``
    entries are the Conv1d layers' weights, the 2-D ones the dense layers',
    in the spec's order."""
    weights = []
    for key, value in state_dict.items():
        if not key.endswith(".weight"):
            continue
        rows = _as_list(value)
        depth, probe = 0, rows
        while isinstance(probe, (list, tuple)) and probe:
            depth, probe = depth + 1, probe[0]
        if depth not in (2, 3):
            raise ExportError(
                "%s is not a dense or Conv1d layer's weight (it is %d-D): export those only" % (key, depth)
            )
        bias_key = key[: -len("weight")] + "bias"
        bias = [float(b) for b in _as_list(state_dict[bias_key])] if bias_key in state_dict else [0.0] * len(rows)
        weights.append((key, depth, rows, bias))
    trainable = [w for w in wanted if not isinstance(w, dict) or w["kind"] == "Conv1d"]
    if len(weights) != len(trainable):
        raise ExportError(
            "the state dict has %d dense and Conv1d layers (%s), the spec %d"
            % (len(weights), ", ".join(k for k, _, _, _ in weights) or "none", len(trainable))
        )
    layers, found = [], iter(weights)
    for item in wanted:
        if isinstance(item, dict) and item["kind"] != "Conv1d":
            layers.append(dict(item))
            continue
        key, depth, rows, bias = next(found)
        if isinstance(item, dict):
            weight = [[[float(w) for w in _as_list(k)] for k in _as_list(row)] for row in rows]
            if depth != 3 or len(weight) != item["out"] or any(len(k) != item["kernel"] for row in weight for k in row):
                raise ExportError(
                    "%s is not the weight of Conv1d(%d, kernel = %d): [out_channels][in_channels][%d] expected"
                    % (key, item["out"], item["kernel"], item["kernel"])
                )
            layer = {k: v for k, v in item.items() if k not in ("out", "kernel")}
            layers.append(dict(layer, weight=weight, bias=bias, module=key))
        else:
            out, activation, params = item
            if depth != 2 or len(rows) != out:
                raise ExportError("%s is not the weight of the spec's dense layer of %d" % (key, out))
            weight = [[float(w) for w in _as_list(row)] for row in rows]
            layers.append(dict({"weight": weight, "bias": bias, "activation": activation, "module": key}, **params))
    return inputs, check_layers(inputs, layers)


def export_state_dict(state_dict, spec, dtype="f32", layout="output_major"):
    """The blob and ``network!`` spec of a ``state_dict`` whose dense
    layers the spec describes (:func:`state_dict_layers`)."""
    inputs, layers = state_dict_layers(state_dict, spec)
    return export_layers(inputs, layers, dtype, layout)


def parse_parts(text):
    """``--parts=1,2`` or ``--parts=[[1,1],1]`` as a list of parts."""
    import ast

    try:
        parts = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        raise ExportError("--parts takes layer counts such as 1,2 or [[1,1],1], not %r" % text) from None

    def as_lists(node):
        return [as_lists(p) for p in node] if isinstance(node, (list, tuple)) else node

    return as_lists(parts)


def parse_window(text):
    """``--window=3,64`` (or ``--window=[3; 64]``, the spec's spelling) as
    ``(channels, length)``."""
    items = text.strip().strip("[]").replace(";", ",").split(",")
    try:
        window = tuple(int(v) for v in items)
    except ValueError:
        window = ()
    if len(window) != 2 or min(window) < 1:
        raise ExportError("--window takes the input's channels and length, such as 3,64, not %r" % text)
    return window


# The committed fixture: every activation, and widths no two layers share.
FIXTURE_SEED = 20240607
FIXTURE_SPEC = [(8, "ReLU", None), (6, "Tanh", None), (5, "LeakyReLU", 0.1),
                (4, "Sigmoid", None), (4, "Linear", None), (3, "Softmax", None)]
FIXTURE_INPUTS = 3


def random_layers(inputs, spec, rng):
    """Random weights for ``spec``, scaled like PyTorch's default Linear init."""
    layers = []
    width = inputs
    for out, act, slope in spec:
        bound = 1.0 / math.sqrt(width)
        layer = {
            "weight": [[rng.uniform(-bound, bound) for _ in range(width)] for _ in range(out)],
            "bias": [rng.uniform(-bound, bound) for _ in range(out)],
            "activation": act,
        }
        if slope is not None:
            layer["slope"] = slope
        layers.append(layer)
        width = out
    return layers


# The committed window fixtures: every window layer and option, 'same' with an
# even kernel, a Conv1d without activation; one ends in Flatten, one in
# GlobalAvgPool1d.
CONV_FIXTURES = {
    "pytorch_export_conv": (20240615, (3, 20), [
        {"kind": "Conv1d", "out": 6, "kernel": 5, "activation": "ReLU"},
        {"kind": "MaxPool1d", "kernel": 2},
        {"kind": "Conv1d", "out": 5, "kernel": 4, "padding": "same", "activation": "Tanh"},
        {"kind": "AvgPool1d", "kernel": 3, "stride": 2},
        {"kind": "Flatten"},
        {"out": 6, "activation": "ReLU"},
        {"out": 3, "activation": "Softmax"},
    ]),
    "pytorch_export_conv_global": (20240616, (2, 24), [
        {"kind": "Conv1d", "out": 4, "kernel": 3, "stride": 2, "activation": "Sigmoid"},
        {"kind": "Conv1d", "out": 4, "kernel": 3, "dilation": 2, "activation": "LeakyReLU", "slope": 0.1},
        {"kind": "MaxPool1d", "kernel": 3, "stride": 2},
        {"kind": "Conv1d", "out": 3, "kernel": 2, "dilation": 2, "padding": "same"},
        {"kind": "GlobalAvgPool1d"},
        {"out": 2, "activation": "Linear"},
    ]),
}


def random_window_layers(inputs, spec, rng):
    """Random parameters for a window network's ``spec`` (a list of layer
    dicts with ``out`` for a Conv1d's channels or a dense layer's width in
    place of the parameters), scaled like PyTorch's default init."""
    layers = []
    shape = tuple(inputs)
    for item in spec:
        # A Conv1d's kernel is its weight's last dimension.
        drop = ("out", "kernel") if _kind(item) == "Conv1d" else ("out",)
        layer = {k: v for k, v in item.items() if k not in drop}
        if _kind(item) == "Conv1d":
            fan_in = shape[0] * item["kernel"]
            bound = 1.0 / math.sqrt(fan_in)
            layer["weight"] = [
                [[rng.uniform(-bound, bound) for _ in range(item["kernel"])] for _ in range(shape[0])]
                for _ in range(item["out"])
            ]
            layer["bias"] = [rng.uniform(-bound, bound) for _ in range(item["out"])]
        elif _kind(item) == "Dense":
            bound = 1.0 / math.sqrt(shape)
            layer["weight"] = [[rng.uniform(-bound, bound) for _ in range(shape)] for _ in range(item["out"])]
            layer["bias"] = [rng.uniform(-bound, bound) for _ in range(item["out"])]
        layers.append(layer)
        shape = item["out"] if _kind(item) == "Dense" else _check_window_layer(layer, shape, "layer")[1]
    return layers


def write_case(directory, inputs, layers, samples, reference, dtype="f32", name="pytorch_export"):
    """Writes ``name.bpnn`` and ``name.json`` (spec, inputs, reference outputs).
    A window network's case also records its ``window``, ``[C, LEN]``; its
    inputs are PyTorch's ``[C][LEN]`` (the Rust input is their transpose)."""
    import os

    blob, spec = export_layers(inputs, layers, dtype)
    with open(os.path.join(directory, name + ".bpnn"), "wb") as f:
        f.write(blob)
    data = {
        "spec": spec,
        "architecture": spec_text(inputs, layers),
        "dtype": dtype,
    }
    if is_window(inputs):
        data["window"] = list(inputs)
    data["inputs"] = samples
    data["outputs"] = [reference(x) for x in samples]
    with open(os.path.join(directory, name + ".json"), "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")
    return blob, data


def conv_fixture(name):
    """``(inputs, layers, samples)`` of the committed window fixture ``name``,
    from its fixed seed."""
    seed, inputs, spec = CONV_FIXTURES[name]
    rng = random.Random(seed)
    layers = random_window_layers(inputs, spec, rng)
    channels, length = inputs
    samples = [
        [[round(rng.uniform(-3.0, 3.0), 6) for _ in range(length)] for _ in range(channels)]
        for _ in range(12)
    ]
    return inputs, layers, samples


def write_fixture(directory):
    """The committed fixtures, from their fixed seeds: no PyTorch needed.
    Returns the dense one's ``(blob, data)``."""
    rng = random.Random(FIXTURE_SEED)
    layers = random_layers(FIXTURE_INPUTS, FIXTURE_SPEC, rng)
    samples = [[round(rng.uniform(-3.0, 3.0), 6) for _ in range(FIXTURE_INPUTS)] for _ in range(16)]
    for name in CONV_FIXTURES:
        inputs, window_layers, window_samples = conv_fixture(name)
        write_case(directory, inputs, window_layers, window_samples,
                   lambda x, l=window_layers: forward(l, x), name=name)
    return write_case(directory, FIXTURE_INPUTS, layers, samples, lambda x: forward(layers, x))


def _dtype_flag(flags):
    """The dtype a command line asks for: ``--f64``, ``--q16-16`` (Q16_16
    fixed point), ``--q8-8`` (Q8_8), or f32."""
    for flag, dtype in (("--f64", "f64"), ("--q16-16", "Q16_16"), ("--q8-8", "Q8_8")):
        if flag in flags:
            return dtype
    return "f32"


def main(argv):
    if len(argv) == 5 and argv[0] == "--upgrade" and argv[3] == "--spec":
        with open(argv[1], "rb") as f:
            blob = upgrade(f.read(), argv[4])
        with open(argv[2], "wb") as f:
            f.write(blob)
        print("wrote %d bytes (format version 2) to %s" % (len(blob), argv[2]))
        return 0
    if len(argv) >= 5 and argv[0] == "--state-dict" and argv[3] == "--spec" \
            and set(argv[5:]) <= {"--f64", "--q16-16", "--q8-8", "--input-major"} \
            and len(set(argv[5:]) & {"--f64", "--q16-16", "--q8-8"}) <= 1:
        import torch

        dtype = _dtype_flag(argv[5:])
        layout = "input_major" if "--input-major" in argv[5:] else "output_major"
        blob, spec = export_state_dict(torch.load(argv[1], weights_only=True), argv[4], dtype, layout)
        with open(argv[2], "wb") as f:
            f.write(blob)
        print("wrote %d bytes to %s; declare it with" % (len(blob), argv[2]))
        print("    backprop_core::network! { %spub struct Net: %s; }" % (LAYOUTS[layout], spec))
        return 0
    if len(argv) == 2 and argv[0] == "--fixture":
        _, data = write_fixture(argv[1])
        print("wrote %s/pytorch_export.{bpnn,json} for `%s`" % (argv[1], data["spec"]))
        for name in CONV_FIXTURES:
            print("wrote %s/%s.{bpnn,json}" % (argv[1], name))
        return 0
    flags = argv[2:]
    parts = [f for f in flags if f.startswith("--parts=")]
    windows = [f for f in flags if f.startswith("--window=")]
    if len(argv) >= 2 and not argv[0].startswith("-") \
            and set(flags) - set(parts) - set(windows) <= {"--f64", "--q16-16", "--q8-8", "--input-major"} \
            and len(set(flags) & {"--f64", "--q16-16", "--q8-8"}) <= 1 \
            and len(set(flags)) == len(flags) and len(parts) <= 1 and len(windows) <= 1:
        parts = parse_parts(parts[0][len("--parts="):]) if parts else None
        window = parse_window(windows[0][len("--window="):]) if windows else None
        import torch

        dtype = _dtype_flag(flags)
        layout = "input_major" if "--input-major" in flags else "output_major"
        try:
            model = torch.load(argv[0], weights_only=False)
        except AttributeError as e:
            raise ExportError(
                "%s holds a model of a class this script cannot import (%s): save its weights "
                "with torch.save(model.state_dict(), 'weights.pt') and export them with "
                "--state-dict weights.pt OUT --spec '<the network!> spec'" % (argv[0], e)
            ) from None
        blob, spec = export_sequential(model, dtype, layout, parts, window)
        with open(argv[1], "wb") as f:
            f.write(blob)
        print("wrote %d bytes to %s; declare it with" % (len(blob), argv[1]))
        if parts is None:
            print("    backprop_core::network! { %spub struct Net: %s; }" % (LAYOUTS[layout], spec))
        else:
            print("    backprop_core::network! {")
            for line in spec.split("\n"):
                print("        " + line)
            print("    }")
        print("and load it as Net::<%s>::from_bytes(...)" % dtype)
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except ExportError as e:
        print("export refused: %s" % e, file=sys.stderr)
        sys.exit(1)
