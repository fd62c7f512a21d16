// Enumerates an autograd node's saved tensors from C++, for every generated node, without code per
// node type or per torch version: the question whether a C++ recorder core can read what the
// recorder reads today through the generated Python getters (`_raw_saved_<slot>`, `_saved_<slot>`).
//
// How: every generated node overrides `Node::compiled_args(CompiledNodeArgs&)` (compiled autograd,
// torch/csrc/dynamo/compiled_autograd.h), which calls `args.collect(saved_variable, is_output)` for
// each SavedVariable member in declaration order. Running it with a throwaway AutogradCompilerCall
// leaves the address of every SavedVariable it met in the compiler's maps (`TensorArgs::_saved_variables`
// for plain slots, `AutogradCompilerCall::sv_to_hooks` for slots packed by saved-tensor hooks). The
// SavedVariable's own fields (the tensor, `saved_version_`, `is_output_`, `output_nr_`) are then read
// directly. Both the map and the fields are private: they are reached with the explicit-instantiation
// access rule ([temp.spec]/6), so the layout always comes from the installed headers, never from
// offsets written here. Slot order is the declaration order: SavedVariable members inside the node
// object sort by address; elements of a `std::vector<SavedVariable>` member live on the heap and are
// placed where the node object holds the vector's begin pointer.
//
// Nodes without compiled_args (the base implementation throws NotImplementedError), Python custom
// Function nodes (PyNode: their compiled_args calls into Python), nodes with a slot packed by
// saved-tensor hooks, nodes whose compiled_args reaches SavedVariables of another node (CopySlices
// collects its wrapped node's) and nodes whose compiled_args throws (a slot already modified in place:
// unpack checks the version) are reported as fallbacks, for the Python path.
//
// The observer half is record_function_floor.cpp's per-op work, plus, optionally, the enumeration of
// each node an op creates and the Python stack at that moment: the projected hot path of a C++
// recorder core. saved_slots_probe.py compiles this file with torch.utils.cpp_extension.load_inline;
// it is a measured prototype, not part of the recorder.
#include <torch/extension.h>
#include <ATen/SavedTensorHooks.h>
#include <ATen/record_function.h>
#include <torch/csrc/autograd/python_cpp_function.h>
#include <torch/csrc/autograd/python_function.h>
#include <torch/csrc/autograd/variable.h>
#include <torch/csrc/dynamo/compiled_autograd.h>

#include "op_record.h"

#include <malloc.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <tuple>
#include <vector>

#include "saved_variable_members.h"

namespace {

/// One saved slot as the recorder needs it: the tensor (its TensorImpl; for a saved output, the node
/// and output_nr name it, since the SavedVariable keeps a shallow copy, not the output itself), the
/// version it was saved at, and whether it was packed by saved-tensor hooks (then no tensor).
struct Slot {
  const void* impl;
  uint32_t saved_version;
  uint32_t output_nr;
  bool is_output;
  bool hooked;
};

enum class Outcome { covered, no_compiled_args, python_node, hooked, failed };

/// Where a SavedVariable sits in declaration order: its offset in the node object, or for a vector
/// element the offset of the vector member holding it plus its index.
struct Placed {
  size_t offset;
  size_t index;
  const SavedVariable* saved;
};

/// Whether `node` is a PyNode (a custom Function's node). By type name: libtorch_python does not
/// export PyNode's type_info, so a dynamic_cast to it does not load ("undefined symbol
/// _ZTIN5torch8autograd6PyNodeE").
bool is_python_node(const Node* node) {
  return std::strcmp(typeid(*node).name(), "N5torch8autograd6PyNodeE") == 0;
}

Outcome enumerate(Node* node, std::vector<Slot>& out, std::string* why) {
  if (is_python_node(node)) {
    return Outcome::python_node;
  }
  AutogradCompilerCall compiler(SizeInput::STATIC);
  NodeCall call(0, node->getptr());
  {
    CompiledNodeArgs args(compiler, call);
    try {
      node->compiled_args(args);
    } catch (const c10::NotImplementedError& e) {
      if (why != nullptr) {
        *why = e.what_without_backtrace();
      }
      return Outcome::no_compiled_args;
    } catch (const c10::Error& e) {
      if (why != nullptr) {
        *why = e.what_without_backtrace();
      }
      return Outcome::failed;
    }
  }
  const auto& plain = compiler.tensor_args.*get(SavedMapTag{});
  const auto& hooked = compiler.sv_to_hooks;
  if (plain.empty() && hooked.empty()) {
    return Outcome::covered;
  }
  const char* base = static_cast<const char*>(dynamic_cast<const void*>(node));
  const size_t size = malloc_usable_size(const_cast<char*>(base));
  std::vector<Placed> inside;
  std::vector<const SavedVariable*> heap;
  auto place = [&](const SavedVariable* saved) {
    const char* at = reinterpret_cast<const char*>(saved);
    if (at >= base && at < base + size) {
      inside.push_back({static_cast<size_t>(at - base), 0, saved});
    } else {
      heap.push_back(saved);
    }
  };
  for (const auto& entry : plain) {
    place(entry.first);
  }
  for (const auto& entry : hooked) {
    place(entry.first);
  }
  if (!heap.empty()) {
    // Contiguous runs of heap SavedVariables are one vector's elements; the node object holds the
    // run's first address as that vector's begin pointer.
    std::sort(heap.begin(), heap.end());
    size_t start = 0;
    while (start < heap.size()) {
      size_t end = start + 1;
      while (end < heap.size() && heap[end] == heap[end - 1] + 1) {
        ++end;
      }
      size_t offset = SIZE_MAX;
      for (size_t at = 0; at + sizeof(void*) <= size; at += alignof(void*)) {
        const void* word;
        std::memcpy(&word, base + at, sizeof(word));
        if (word == heap[start]) {
          offset = at;
          break;
        }
      }
      if (offset == SIZE_MAX) {
        if (why != nullptr) {
          *why = "saved variables outside the node object and not in a vector member of it";
        }
        return Outcome::failed;
      }
      for (size_t i = start; i < end; ++i) {
        inside.push_back({offset, i - start + 1, heap[i]});
      }
      start = end;
    }
  }
  std::sort(inside.begin(), inside.end(), [](const Placed& a, const Placed& b) {
    return std::tie(a.offset, a.index) < std::tie(b.offset, b.index);
  });
  Outcome outcome = Outcome::covered;
  for (const auto& placed : inside) {
    const SavedVariable& saved = *placed.saved;
    if (saved.has_hooks()) {
      out.push_back({nullptr, 0, 0, false, true});
      outcome = Outcome::hooked;
      continue;
    }
    const at::Tensor& data = saved.*get(DataTag{});
    if (!data.defined()) {
      continue;  // not saved (its input did not require grad): the Python getter gives None
    }
    const bool is_output = saved.*get(IsOutputTag{}) && !(saved.*get(IsLeafTag{}));
    out.push_back({is_output ? static_cast<const void*>(node) : data.unsafeGetTensorImpl(),
                   saved.*get(VersionTag{}), is_output ? saved.*get(OutputNrTag{}) : 0, is_output, false});
  }
  return outcome;
}

const char* outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::covered:
      return "covered";
    case Outcome::no_compiled_args:
      return "no compiled_args";
    case Outcome::python_node:
      return "python node";
    case Outcome::hooked:
      return "hooked";
    case Outcome::failed:
      return "failed";
  }
  return "failed";
}

/// The C++ Node behind a Python grad_fn object: a generated or other C++ node (THPCppFunction) or a
/// custom Function's context (THPFunction, whose cdata is its PyNode); nullptr for anything else.
Node* node_of(PyObject* grad_fn) {
  if (torch::autograd::THPCppFunction_Check(grad_fn)) {
    return reinterpret_cast<torch::autograd::THPCppFunction*>(grad_fn)->cdata.get();
  }
  if (THPFunction_Check(grad_fn)) {
    return reinterpret_cast<THPFunction*>(grad_fn)->cdata.get();
  }
  return nullptr;
}

// The observer: as record_function_floor.cpp, plus, with enumeration on, the saved slots of each
// node an op creates (the grad_fn of an output with a sequence number not seen yet).
struct NodeRecord {
  const Node* node;
  size_t first_slot;
  size_t slots;
  Outcome outcome;
};

/// One frame of the Python stack when a node was created: the code object (a reference is held until
/// stop) and the offset of the instruction running in it, innermost first; what the recorder's call
/// sites are made from (sites.py), to format later.
struct Frame {
  PyCodeObject* code;
  int lasti;
  size_t node;
};

std::vector<OpRecord> records;
std::vector<NodeRecord> nodes;
std::vector<Slot> slots;
std::vector<Frame> frames;
at::CallbackHandle handle = 0;
bool enumerating = false;
bool with_stacks = false;
uint64_t last_sequence_nr = 0;
bool seen_any = false;

std::unique_ptr<at::ObserverContext> on_start(const at::RecordFunction& fn) {
  records.push_back(record_of(fn));
  return nullptr;
}

void note_node(const at::Tensor& t) {
  if (!t.defined()) {
    return;
  }
  Node* node = torch::autograd::impl::grad_fn_unsafe(t);
  if (node == nullptr) {
    return;
  }
  const uint64_t seq = node->sequence_nr();
  if (seen_any && seq <= last_sequence_nr) {
    return;
  }
  seen_any = true;
  last_sequence_nr = seq;
  const size_t first = slots.size();
  // With saved-tensor hooks pushed, compiled_args would hand their Python objects around outside the
  // GIL (ops release it): such nodes go to the Python path without being looked at here.
  const Outcome outcome = at::SavedTensorDefaultHooks::get_tls_state().stack.empty()
      ? enumerate(node, slots, nullptr)
      : Outcome::hooked;
  nodes.push_back({node, first, slots.size() - first, outcome});
  if (with_stacks) {
    // Ops release the GIL: take it back to walk this thread's frames.
    PyGILState_STATE gil = PyGILState_Ensure();
    PyFrameObject* frame = PyEval_GetFrame();
    Py_XINCREF(frame);
    while (frame != nullptr) {
      frames.push_back({PyFrame_GetCode(frame), PyFrame_GetLasti(frame), nodes.size() - 1});
      PyFrameObject* back = PyFrame_GetBack(frame);
      Py_DECREF(frame);
      frame = back;
    }
    PyGILState_Release(gil);
  }
}

void on_end(const at::RecordFunction& fn, at::ObserverContext*) {
  if (records.empty()) {
    return;
  }
  auto& record = records.back();
  for (const auto& value : fn.outputs()) {
    if (value.isTensor()) {
      const auto& t = value.toTensor();
      record.outputs.push_back(t.unsafeGetTensorImpl());
      if (enumerating) {
        note_node(t);
      }
    } else if (enumerating && value.isTensorList()) {
      for (const at::Tensor& t : value.toTensorList()) {
        note_node(t);
      }
    }
  }
}

}  // namespace

/// The saved slots of `grad_fn` in declaration order, as (outcome, why, [(tensor, saved_version,
/// is_output, output_nr, hooked)]), where tensor is the TensorImpl address (what `Tensor._cdata`
/// gives) of a saved input, or the node's address for a saved output.
py::tuple slots_of(py::object grad_fn) {
  Node* node = node_of(grad_fn.ptr());
  if (node == nullptr) {
    return py::make_tuple("not a node", "", py::list());
  }
  std::vector<Slot> found;
  std::string why;
  const Outcome outcome = enumerate(node, found, &why);
  py::list list;
  for (const auto& slot : found) {
    list.append(py::make_tuple(reinterpret_cast<uintptr_t>(slot.impl), slot.saved_version, slot.is_output,
                               slot.output_nr, slot.hooked));
  }
  return py::make_tuple(outcome_name(outcome), why, list);
}

/// The address of the C++ Node behind `grad_fn` (0 when there is none).
uintptr_t node_address(py::object grad_fn) {
  return reinterpret_cast<uintptr_t>(node_of(grad_fn.ptr()));
}

/// Enumerates the saved slots of every node in `grad_fns`, `repeats` times, in C++ only (the nodes
/// are resolved once, before the loop); returns the number of slots of the last pass.
int64_t enumerate_many(py::list grad_fns, int64_t repeats) {
  std::vector<Node*> resolved;
  for (const auto& item : grad_fns) {
    Node* node = node_of(item.ptr());
    if (node != nullptr) {
      resolved.push_back(node);
    }
  }
  std::vector<Slot> found;
  found.reserve(1 << 12);
  for (int64_t r = 0; r < repeats; ++r) {
    found.clear();
    for (Node* node : resolved) {
      enumerate(node, found, nullptr);
    }
  }
  return static_cast<int64_t>(found.size());
}

/// Starts the observer; with `enumerate_nodes`, it also enumerates each new node's saved slots, and
/// with `stacks` as well, keeps the Python stack (code objects and offsets) at each new node.
void start(bool enumerate_nodes, bool stacks) {
  records.reserve(1 << 16);
  nodes.reserve(1 << 12);
  slots.reserve(1 << 14);
  frames.reserve(1 << 15);
  enumerating = enumerate_nodes;
  with_stacks = stacks;
  seen_any = false;
  handle = at::addGlobalCallback(at::RecordFunctionCallback(on_start, on_end)
                                     .needsInputs(true)
                                     .needsOutputs(true)
                                     .scopes({at::RecordScope::FUNCTION, at::RecordScope::BACKWARD_FUNCTION}));
}

/// Stops the observer; returns (ops seen, nodes enumerated, slots, nodes that fell back, detail, frames
/// kept), where
/// with `detail` set, detail maps each enumerated node's address to (outcome, slots as slots_of
/// gives them), and is empty otherwise.
py::tuple stop(bool detail) {
  at::removeCallback(handle);
  int64_t fallbacks = 0;
  py::dict by_node;
  for (const auto& node : nodes) {
    fallbacks += node.outcome == Outcome::covered ? 0 : 1;
    if (detail) {
      py::list list;
      for (size_t i = node.first_slot; i < node.first_slot + node.slots; ++i) {
        const Slot& slot = slots[i];
        list.append(py::make_tuple(reinterpret_cast<uintptr_t>(slot.impl), slot.saved_version, slot.is_output,
                                   slot.output_nr, slot.hooked));
      }
      by_node[py::int_(reinterpret_cast<uintptr_t>(node.node))] = py::make_tuple(outcome_name(node.outcome), list);
    }
  }
  auto result = py::make_tuple(records.size(), nodes.size(), slots.size(), fallbacks, by_node, frames.size());
  for (const auto& frame : frames) {
    Py_DECREF(frame.code);
  }
  frames.clear();
  records.clear();
  nodes.clear();
  slots.clear();
  return result;
}
