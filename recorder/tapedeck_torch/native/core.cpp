// The C++ core of `tapedeck_torch --native`: a RecordFunction observer that records, per top-level
// aten op, only what cannot be read later — the op, its input and output tensors with their versions,
// the versions its written arguments moved to, the grad_fn nodes it created with their edges and saved
// tensors (read through `Node::compiled_args`, as recorder/benchmarks/saved_slots_probe.cpp measured),
// and the Python call site as code objects and instruction offsets — and formats them into the trace's
// JSON lines when Python asks for them (`take`), in bulk, between steps.
//
// Python (native/recorder.py) decides what each operator is (`classify`), where a code object lives
// (`classify_code`), what a call site's fields are (`site`) and which names a node type gives its saved
// slots (`slot_names`), each once per operator, code object, call site or node type, and which of the
// program's variables name which tensors (`names`), once per program statement. What this file
// cannot record exactly it refuses: `refusal()` names it, and the Python side stops the recording.
//
// The templates below are those of tapedeck_torch/schema.py (docs/trace-format.md); test_native.py
// reads every line this file writes with the tests' trace schema and compares the verdicts with the
// Python recorder's.
#include <torch/extension.h>
#include <torch/csrc/autograd/python_variable.h>
#include <ATen/SequenceNumber.h>
#include <ATen/record_function.h>
#include <c10/core/InferenceMode.h>
#include <torch/csrc/autograd/function.h>
#include <torch/csrc/autograd/functions/accumulate_grad.h>
#include <torch/csrc/autograd/python_cpp_function.h>
#include <torch/csrc/autograd/saved_variable.h>
#include <torch/csrc/autograd/variable.h>
#include <torch/csrc/dynamo/compiled_autograd.h>
#include <torch/csrc/Dtype.h>
#include <torch/csrc/DynamicTypes.h>

#include <malloc.h>

// Python 3.11 and 3.12 keep the running frames as `_PyInterpreterFrame`s and make a frame object only
// when asked for one (`PyEval_GetFrame`, `PyFrame_GetBack`): reading them directly costs no
// allocation and no GIL, which the public API would cost per op. Other versions take the public way.
#if PY_VERSION_HEX >= 0x030B0000 && PY_VERSION_HEX < 0x030D0000
#define TAPEDECK_INTERNAL_FRAMES 1
#define Py_BUILD_CORE 1
#include <internal/pycore_frame.h>
#undef Py_BUILD_CORE
// The kinds of a code object's fast locals (internal/pycore_code.h, the same in 3.11 and 3.12).
#define TAPEDECK_CO_FAST_CELL 0x40
#define TAPEDECK_CO_FAST_FREE 0x80
#endif

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cstring>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "saved_variable_members.h"

namespace {

static_assert(sizeof(c10::VariableVersion) == sizeof(void*), "VariableVersion is one intrusive_ptr");

/// What an operator is to the recorder (Python's `classify`, once per operator).
enum class Mode : uint8_t { transparent = 0, recorded = 1, hidden = 2 };

/// How many of an operator's first runs tell whether the observer is switched off while it runs
/// (`OpKind::quiets`).
constexpr int64_t learning_runs = 4;

struct OpKind {
  Mode mode;
  std::vector<int64_t> writes;  ///< indexes of the arguments the schema writes
  std::string name;             ///< JSON literal of `aten::add_.Tensor`
  bool writes_self;
  bool is_view;
  bool unbumped;  ///< writes move no version counter (a fused optimizer kernel): each is a bump from v to v
  int64_t runs = 0;    ///< its runs as the outermost op whose nested ops are not recorded, counted to learning_runs + 1
  int64_t nested = 0;  ///< the ops nested in the first learning_runs of those

  /// Whether the observer is switched off while it runs (`enter_opaque`): where its first runs nested
  /// 4 ops or more on average. A switch rebuilds the thread's callbacks, which costs about what
  /// observing 2 nested ops does, and most operators nest none (a `_foreach_` op nests hundreds).
  bool quiets() const { return runs > learning_runs && nested >= 4 * learning_runs; }
};

/// What a code object is to the recorder (Python's `classify_code`, once per code object).
enum CodeClass : int { program_code = 0, library_code = 1, quiet_code = 2, called_code = 3 };

struct TensorRec {
  int64_t tid, vc, st, base;
  int8_t dtype;
  bool rg, param;
  size_t shape_at, dims;
  size_t preview;  ///< its values at first sight (`Previews`), SIZE_MAX for none
};

struct OpRec {
  int64_t index;
  size_t kind, site;
  bool grad;
  size_t ins_at, ins, outs_at, outs, bumps_at, bumps;
  int unwinding;  ///< std::uncaught_exceptions() when it started: more at its end means it raised
};

struct SlotRec {
  size_t name;  ///< index into slot_names
  int64_t tid, version, output_nr;
  bool is_output;
  size_t shape_at, dims;
};

struct NodeRec {
  int64_t nid, op, var;
  size_t type;
  size_t name;  ///< a custom Function's own name (index into slot_names, a table of JSON literals), else SIZE_MAX
  uint64_t seq;
  size_t edges_at, edges, slots_at, slots;
};

struct GradFnRec {
  int64_t tid, nid, output_nr, version;
  bool rg;
};

struct RunRec {
  int64_t nid;
  size_t grads_at, grads;  ///< into run_grads, per gradient: dims (-1 for none), sizes, preview (-1 for none)
};

enum class Entry : uint8_t { tensor, op, node, gradfn, sync, text };

struct Bump {
  int64_t vc, tid, before, after;
  size_t preview;  ///< the written tensor's values after the op (`Previews`), SIZE_MAX for none
};

/// Which tensors get a value preview and how: the most elements one may have (`--values`, 0 for
/// none), and the device types whose previews are copied asynchronously (`previews.DEFERRED_DEVICES`,
/// one bit per `c10::DeviceType`).
struct PreviewRule {
  int64_t limit = 0;
  uint64_t deferred = 0;

  bool defers(c10::DeviceType type) const { return (deferred >> static_cast<unsigned>(type)) & 1U; }
};

/// Value previews, as the Python recorder's `TensorRegistry.values` takes them: the values of a
/// tensor of a real or boolean dtype with at most `limit` elements, taken when the recorder sees the
/// tensor (whatever the program writes into it later), row-major, as `tolist()` gives them. A CPU
/// tensor's values are read at once. A tensor on a deferred device (a GPU) is copied to the host
/// asynchronously, in stream order (reading it now would wait for the device at every op): its
/// preview is written as the placeholder `\0N\0` that the Python writer fills in once the copies
/// have landed, one wait per chunk of lines (previews.py). Other devices get none.
class Previews {
 public:
  struct Preview {
    size_t shape_at, dims, at, count;
    bool floating;  ///< numbers holds double bits; else integers (booleans as 0 and 1)
    size_t copy;    ///< a deferred preview's index in copies(), else SIZE_MAX
  };

  /// The index of `t`'s preview, or SIZE_MAX where it gets none.
  size_t capture(const at::TensorBase& t, const PreviewRule& rule) {
    if (rule.limit <= 0 || !t.defined() || t.layout() != c10::kStrided || !t.has_storage() ||
        t.numel() > rule.limit) {
      return SIZE_MAX;
    }
    const c10::ScalarType type = t.scalar_type();
    const bool floating = type == c10::kFloat || type == c10::kDouble || type == c10::kHalf || type == c10::kBFloat16;
    if (!floating && type != c10::kLong && type != c10::kInt && type != c10::kShort && type != c10::kChar &&
        type != c10::kByte && type != c10::kBool) {
      return SIZE_MAX;
    }
    if (rule.defers(t.device().type())) {
      return defer(t, floating);
    }
    if (!t.is_cpu()) {
      return SIZE_MAX;
    }
    const char* data = static_cast<const char*>(t.const_data_ptr());
    if (data == nullptr && t.numel() > 0) {
      return SIZE_MAX;
    }
    Preview preview{numbers_.size(), static_cast<size_t>(t.dim()), 0, static_cast<size_t>(t.numel()), floating, SIZE_MAX};
    const auto sizes = t.sizes();
    const auto strides = t.strides();
    numbers_.insert(numbers_.end(), sizes.begin(), sizes.end());
    preview.at = numbers_.size();
    const size_t item = t.element_size();
    const bool negated = t.is_neg();
    numbers_.resize(preview.at + preview.count);
    int64_t* into = numbers_.data() + preview.at;
    if (t.is_contiguous() && type == c10::kFloat && !negated) {
      // Most previews (a float32 model's): the loop without a dtype switch per element.
      const float* values = reinterpret_cast<const float*>(data);
      for (size_t k = 0; k < preview.count; ++k) {
        const double value = values[k];
        std::memcpy(&into[k], &value, sizeof(value));
      }
    } else if (t.is_contiguous()) {
      for (size_t k = 0; k < preview.count; ++k) {
        into[k] = element(data + k * item, type, floating, negated);
      }
    } else {
      std::vector<int64_t>& index = index_;
      index.assign(sizes.size(), 0);
      for (size_t k = 0; k < preview.count; ++k) {
        int64_t offset = 0;
        for (size_t d = 0; d < index.size(); ++d) {
          offset += index[d] * strides[d];
        }
        into[k] = element(data + offset * static_cast<int64_t>(item), type, floating, negated);
        for (size_t d = index.size(); d-- > 0;) {
          if (++index[d] < sizes[d]) {
            break;
          }
          index[d] = 0;
        }
      }
    }
    items_.push_back(preview);
    return items_.size() - 1;
  }

  const Preview& operator[](size_t index) const { return items_[index]; }
  const int64_t* numbers(size_t at) const { return numbers_.data() + at; }

  /// Moves the deferred previews' copies to the end of `held`, where their placeholders' numbers
  /// point when they were formatted from `held`'s size; the devices they come from (`"cuda:0"`),
  /// which the writer waits for before it reads them. The copies stay C++ tensors: a Python object
  /// for each would be a few hundred allocations a step, enough to run Python's collector.
  py::set move_copies(std::vector<at::Tensor>& held) {
    py::set devices;
    for (size_t i = 0; i < copies_.size(); ++i) {
      held.push_back(std::move(copies_[i]));
      if (i == 0 || sources_[i] != sources_[i - 1]) {
        devices.add(py::str(sources_[i].str()));
      }
    }
    return devices;
  }

  void clear() {
    items_.clear();
    numbers_.clear();
    copies_.clear();
    sources_.clear();
  }

 private:
  /// Queues the copy of `t`'s values into host memory (pinned for a CUDA tensor, so the copy runs
  /// asynchronously), in stream order: it holds the values `t` has now. Made as the recorder's own
  /// work: no observer sees it (RecordFunction off), no autograd node is made (a grad_fn would take
  /// a sequence number from the program's), no Python mode of the program is handed it.
  size_t defer(const at::TensorBase& t, bool floating) {
    at::Tensor copy;
    try {
      at::RecordFunctionGuard no_observers(false);
      at::NoGradGuard no_grad;
      c10::impl::ExcludeDispatchKeyGuard no_python(
          c10::DispatchKeySet({c10::DispatchKey::Python, c10::DispatchKey::PythonTLSSnapshot}));
      copy = at::empty(t.sizes(), at::TensorOptions().dtype(t.scalar_type()).pinned_memory(t.is_cuda()));
      copy.copy_(at::Tensor(t), /*non_blocking=*/true);
    } catch (const std::exception&) {
      return SIZE_MAX;  // no preview, as `tolist()` of a tensor it cannot copy gives none
    }
    Preview preview{numbers_.size(), static_cast<size_t>(t.dim()), numbers_.size(), 0, floating, copies_.size()};
    numbers_.insert(numbers_.end(), t.sizes().begin(), t.sizes().end());
    preview.at = numbers_.size();
    copies_.push_back(std::move(copy));
    sources_.push_back(t.device());
    items_.push_back(preview);
    return items_.size() - 1;
  }

  /// One element as numbers_ keeps it: a floating value's double bits, an integer's value.
  static int64_t element(const char* at, c10::ScalarType type, bool floating, bool negated) {
    double real = 0;
    int64_t integer = 0;
    switch (type) {
      case c10::kFloat: real = *reinterpret_cast<const float*>(at); break;
      case c10::kDouble: real = *reinterpret_cast<const double*>(at); break;
      case c10::kHalf: real = static_cast<float>(*reinterpret_cast<const c10::Half*>(at)); break;
      case c10::kBFloat16: real = static_cast<float>(*reinterpret_cast<const c10::BFloat16*>(at)); break;
      case c10::kLong: integer = *reinterpret_cast<const int64_t*>(at); break;
      case c10::kInt: integer = *reinterpret_cast<const int32_t*>(at); break;
      case c10::kShort: integer = *reinterpret_cast<const int16_t*>(at); break;
      case c10::kChar: integer = *reinterpret_cast<const int8_t*>(at); break;
      case c10::kByte: integer = *reinterpret_cast<const uint8_t*>(at); break;
      default: integer = *reinterpret_cast<const bool*>(at) ? 1 : 0; break;
    }
    if (floating) {
      real = negated ? -real : real;
      int64_t bits;
      std::memcpy(&bits, &real, sizeof(bits));
      return bits;
    }
    return negated ? -integer : integer;
  }

  std::vector<Preview> items_;
  std::vector<int64_t> numbers_;  ///< each preview's sizes, then its values (a deferred one's: none)
  std::vector<at::Tensor> copies_;      ///< deferred previews' host copies
  std::vector<c10::Device> sources_;    ///< the device each copy comes from
  std::vector<int64_t> index_;    ///< capture's scratch
};

/// The `BlockPool`s made so far, each as its `trim`.
std::vector<void (*)()>& block_pools() {
  static std::vector<void (*)()> pools;
  return pools;
}

/// Blocks of `Size` bytes for the registries' map entries, handed out from a free list that
/// outlives each recording: a recording of a training step registers thousands of tensors and nodes
/// and drops them all at its end, and a malloc and a free for each cost more than the maps' own work
/// (and glibc consolidates its free lists the more at each larger request). The blocks come in
/// chunks, kept from one recording to the next up to `kept_chunks` of them (`trim`). The list has no
/// lock: the maps it serves are changed one thread at a time already.
template <size_t Size, size_t Align>
class BlockPool {
 public:
  static void* take() {
    if (free_ == nullptr) {
      refill();
    }
    Block* block = free_;
    free_ = block->next;
    return block;
  }

  static void give(void* at) {
    Block* block = static_cast<Block*>(at);
    block->next = free_;
    free_ = block;
  }

  /// Frees the chunks when there are more than `kept_chunks` (a recording that held many tensors at
  /// once leaves no memory behind for them); only while no block is taken: no registry exists.
  static void trim() {
    if (chunks_.size() > kept_chunks) {
      for (Block* chunk : chunks_) {
        delete[] chunk;
      }
      chunks_.clear();
      free_ = nullptr;
    }
  }

 private:
  union alignas(Align) Block {
    Block* next;
    unsigned char bytes[Size];
  };

  static constexpr size_t chunk_blocks = 256;
  static constexpr size_t kept_chunks = 64;

  C10_NOINLINE static void refill() {
    if (!known_) {
      block_pools().push_back(&trim);
      known_ = true;
    }
    Block* blocks = new Block[chunk_blocks];
    chunks_.push_back(blocks);
    for (size_t i = 0; i < chunk_blocks; ++i) {
      give(&blocks[i]);
    }
  }

  static inline Block* free_ = nullptr;
  static inline std::vector<Block*> chunks_;
  static inline bool known_ = false;
};

/// The allocator of the registries' maps: single entries from a `BlockPool`, bucket arrays from the
/// heap.
template <typename T>
struct Pooled {
  using value_type = T;

  Pooled() = default;
  template <typename U>
  Pooled(const Pooled<U>&) {}

  T* allocate(size_t count) {
    if (count == 1) {
      return static_cast<T*>(BlockPool<sizeof(T), alignof(T)>::take());
    }
    return std::allocator<T>().allocate(count);
  }

  void deallocate(T* at, size_t count) {
    if (count == 1) {
      BlockPool<sizeof(T), alignof(T)>::give(at);
    } else {
      std::allocator<T>().deallocate(at, count);
    }
  }

  template <typename U>
  bool operator==(const Pooled<U>&) const {
    return true;
  }
};

/// A registry: a hash map whose entries come from `Pooled`.
template <typename Key, typename Value>
using Registry = std::unordered_map<Key, Value, std::hash<Key>, std::equal_to<Key>, Pooled<std::pair<const Key, Value>>>;

/// A version counter: its id, the version the trace has it at, and a reference that keeps its
/// address from being reused while the recording knows it.
struct Counter {
  int64_t vc;
  int64_t model;
  c10::VariableVersion keep;
};

struct TensorEntry {
  int64_t tid;
  Counter* counter;  ///< null for a tensor without a version counter (inference)
  int64_t node;      ///< the grad_fn node the trace last gave it
  c10::weak_intrusive_ptr<c10::TensorImpl> ref;
};

/// A tensor a custom Function saved (`ctx.save_for_backward`), as Python reads it from the node.
struct CustomSave {
  size_t name;  ///< `tensors[i]`, index into slot_names
  at::Tensor data;
  int64_t version, output_nr;
  bool is_output;
};

/// A tensor input of the running checkpoint and the version its frame saved it at.
struct CheckpointInput {
  at::Tensor tensor;
  int64_t version;
};

struct SyncRec {
  int64_t vc, tid, before, after;
};

struct NodeType {
  bool known = false;
  std::string name;                                ///< JSON literal of `grad_fn.name()`
  std::vector<std::pair<size_t, size_t>> members;  ///< (offset in the node, slot name) per saved member
  bool vectors = false;                            ///< some member is a std::vector<SavedVariable>
  std::vector<size_t> vector_names;                ///< names of vector members not located yet
  bool has_slots = false;
};

struct NodeEntry {
  int64_t nid;
  c10::weak_intrusive_ptr<Node> ref;
};

/// An op output that holds a grad_fn: the node, which output of it the tensor is, and the tensor
/// (its id and registry entry).
struct Holder {
  const Node* node;
  int64_t output_nr, tid;
  TensorEntry* entry;
};

/// An argument the running op writes: its tensor, registry entry and version before the op.
struct Written {
  at::Tensor tensor;
  TensorEntry* entry;
  int64_t before;
};

/// What the recorder learns once per operator, node type, code object and call site, kept from one
/// recording to the next (a program that records each step anew pays for it once); code classes and
/// call sites depend on the recorded program's path and are dropped when it changes.
struct Caches {
  std::unordered_map<const char*, size_t> kind_of_name;
  std::vector<OpKind> kinds;
  std::unordered_map<std::string, size_t> slot_name_of;
  std::vector<std::string> slot_names;  ///< JSON literals
  std::unordered_map<const std::type_info*, NodeType> node_types;
  std::vector<const std::type_info*> type_order;
  std::string program;
  std::unordered_map<PyCodeObject*, int> code_class;               ///< holds a reference to each code
  std::vector<std::vector<std::pair<PyCodeObject*, int>>> sites;  ///< frames of each call site
  std::vector<std::string> site_text;                              ///< its `"call":...,"line":...` fields
  std::vector<int> site_line;  ///< the line its program frame is at (0 when no program frame is on the stack)
  std::unordered_map<std::string, size_t> site_of_key;

  /// Forgets code classes and call sites (another program is recorded).
  void forget_program() {
    for (const auto& entry : code_class) {
      Py_DECREF(entry.first);
    }
    code_class.clear();
    sites.clear();
    site_text.clear();
    site_line.clear();
    site_of_key.clear();
  }
};

Caches caches;

/// What the recording met since the last take, each trace line an entry (`entries`), in order. Kept
/// from one recording to the next, emptied, as `formatted` is: a program that records each step anew
/// would otherwise grow these again at every step, and malloc consolidates its free lists at each
/// allocation of that size.
struct Records {
  std::vector<std::pair<Entry, size_t>> entries;
  std::vector<TensorRec> tensor_recs;
  std::vector<OpRec> op_recs;
  std::vector<NodeRec> node_recs;
  std::vector<GradFnRec> gradfn_recs;
  std::vector<SyncRec> sync_recs;
  std::vector<int64_t> shapes;
  std::vector<std::pair<int64_t, int64_t>> pairs;  ///< op ins/outs, node edges (nid, input_nr; -1 for null)
  std::vector<Bump> bumps;
  std::vector<SlotRec> slots;
  std::vector<std::string> texts;  ///< lines formatted when recorded (`bind` events)
  Previews previews;               ///< of the tensor and bump records

  /// Forgets the records `take` formatted; their previews' copies `take` hands on first.
  void clear_formatted() {
    entries.clear();
    sync_recs.clear();
    tensor_recs.clear();
    op_recs.clear();
    node_recs.clear();
    gradfn_recs.clear();
    shapes.clear();
    pairs.clear();
    bumps.clear();
    slots.clear();
    texts.clear();
  }
};

Records records;

/// The recording: one at a time, on the thread that started it.
struct State {
  bool active = false;
  std::thread::id thread;
  int passive = 0;
  bool in_backward = false;
  py::object classify, classify_code, site_of, slot_names_of, checkpoint_inputs_of, raised_of, names_of;
  PyObject* parameter_type = nullptr;  ///< torch.nn.Parameter (a borrowed reference: torch keeps it)
  std::string refusal;

  std::string site_key;                                    ///< capture_site's scratch
  std::vector<std::pair<PyCodeObject*, int>> site_frames;  ///< capture_site's scratch
  const void* program_frame = nullptr;  ///< the program frame capture_site last stopped at (nullptr: none)

  /// The program frame and line the program's names were last looked at in (`observe_names`).
  const void* named_frame = nullptr;
  int named_line = 0;
  /// NameBinder's memory: the tensor each (code object, name) was last bound to (`bind_variable`).
  std::map<std::pair<const void*, const void*>, int64_t> bound;
  std::unordered_map<const void*, std::pair<py::object, std::string>> name_literals;  ///< name, JSON literal
  py::object js_name;  ///< schema.js_name

  Registry<const c10::TensorImpl*, TensorEntry> tensors;
  Registry<const void*, Counter> counters;
  Registry<const c10::StorageImpl*, std::pair<int64_t, c10::weak_intrusive_ptr<c10::StorageImpl>>> storages;
  Registry<const Node*, NodeEntry> nodes;
  Registry<uint64_t, int64_t> nid_of_seq;
  size_t sweep_at = 4096;
  int64_t next_tid = 0, next_vc = 0, next_st = 0, next_nid = 0, next_op = 0;

  /// The custom Function node `custom_node` is adding, and what Python read of its saved tensors.
  const Node* custom_adding = nullptr;
  const std::vector<CustomSave>* custom_saves = nullptr;

  std::vector<uint8_t> stack;
  int opaque = 0;
  size_t outer = 0;      ///< the operator of the outermost op `enter_opaque` entered
  bool quieted = false;  ///< the observer is switched off until that op ends
  // The op between its start and end callbacks.
  OpRec current{};
  std::vector<Written> written;
  // end_op's scratch, kept to spare an allocation per op.
  std::vector<at::Tensor> outputs, holder_tensors;
  std::vector<std::pair<int64_t, int64_t>> outs;
  std::vector<TensorEntry*> out_entries;
  std::vector<Holder> holders;
  uint64_t op_seq = 0;

  /// While an exception a recorded op raised is on its way to the program: the op's call site, and the
  /// trace function that was installed before `watch_raised` installed its own.
  size_t raised_site = SIZE_MAX;
  Py_tracefunc saved_trace = nullptr;
  PyObject* saved_trace_object = nullptr;

  PreviewRule preview_rule;  ///< `--values` and the deferred devices

  std::mutex run_mutex;
  std::vector<RunRec> runs;
  std::vector<int64_t> run_grads;
  Previews run_previews;  ///< of the incoming gradients of runs, under run_mutex
};

State* state = nullptr;
at::CallbackHandle ops_handle = 0;   ///< forward ops: inputs and outputs
at::CallbackHandle runs_handle = 0;  ///< node runs in backward: their incoming gradients

void refuse(const std::string& what) {
  if (state->refusal.empty()) {
    state->refusal = what;
  }
}

int64_t version_of(c10::TensorImpl* impl) {
  if (impl->is_inference() || !impl->version_counter().enabled()) {
    return 0;
  }
  return impl->version_counter().current_version();
}

/// The version counter of `impl` (null without one), met at `version`.
Counter* counter_of(c10::TensorImpl* impl, int64_t version) {
  const c10::VariableVersion& shared = impl->version_counter();
  const void* key = *reinterpret_cast<const void* const*>(&shared);
  if (key == nullptr || impl->is_inference()) {
    return nullptr;
  }
  auto it = state->counters.find(key);
  if (it != state->counters.end()) {
    return &it->second;
  }
  return &state->counters.emplace(key, Counter{state->next_vc++, version, shared}).first->second;
}

int64_t storage_id(c10::TensorImpl* impl) {
  if (!impl->has_storage()) {
    return state->next_st++;
  }
  const c10::Storage& storage = impl->storage();
  const c10::StorageImpl* key = storage.unsafeGetStorageImpl();
  if (key == nullptr) {
    return state->next_st++;
  }
  auto it = state->storages.find(key);
  if (it != state->storages.end() && !it->second.second.expired()) {
    return it->second.first;
  }
  const int64_t st = state->next_st++;
  state->storages.insert_or_assign(key, std::make_pair(st, storage.getWeakStorageImpl()));
  return st;
}

/// Drops dead tensors, unused counters and freed storages now and then, as the Python registry does.
void sweep() {
  auto& tensors = state->tensors;
  for (auto it = tensors.begin(); it != tensors.end();) {
    it = it->second.ref.expired() ? tensors.erase(it) : std::next(it);
  }
  for (auto it = state->counters.begin(); it != state->counters.end();) {
    it = it->second.keep.unique() ? state->counters.erase(it) : std::next(it);
  }
  for (auto it = state->storages.begin(); it != state->storages.end();) {
    it = it->second.second.expired() ? state->storages.erase(it) : std::next(it);
  }
  state->sweep_at = 2 * tensors.size() + 4096;
}

/// The registry entry of a tensor (its id, version counter and grad_fn node), registering it (and its
/// view base first) on first sight; `parameter_type` tells whether its Python object is an
/// nn.Parameter, known only where the GIL is held. The reference stays valid while the tensor lives:
/// the map keeps its entries in place, and a sweep drops only dead tensors.
TensorEntry& tensor_entry(const at::TensorBase& t, PyObject* parameter_type = nullptr) {
  c10::TensorImpl* impl = t.unsafeGetTensorImpl();
  auto it = state->tensors.find(impl);
  if (it != state->tensors.end()) {
    if (!it->second.ref.expired()) {
      return it->second;
    }
    state->tensors.erase(it);
  }
  int64_t base = -1;
  if (t.is_view()) {
    base = tensor_entry(t._base(), parameter_type).tid;
  }
  TensorRec rec{};
  Counter* counter = counter_of(impl, version_of(impl));
  rec.vc = counter != nullptr ? counter->vc : state->next_vc++;
  rec.st = storage_id(impl);
  rec.base = base;
  rec.dtype = static_cast<int8_t>(t.scalar_type());
  rec.rg = t.requires_grad();
  rec.param = false;
  if (parameter_type != nullptr) {
    PyObject* object = impl->pyobj_slot()->load_pyobj();
    rec.param = object != nullptr && PyObject_TypeCheck(object, reinterpret_cast<PyTypeObject*>(parameter_type));
  }
  rec.shape_at = records.shapes.size();
  for (int64_t size : t.sizes()) {
    records.shapes.push_back(size);
  }
  rec.dims = records.shapes.size() - rec.shape_at;
  rec.preview = records.previews.capture(t, state->preview_rule);
  rec.tid = state->next_tid++;
  TensorEntry& entry = state->tensors.emplace(
      impl, TensorEntry{rec.tid, counter, -1, c10::weak_intrusive_ptr<c10::TensorImpl>(t.getIntrusivePtr())})
      .first->second;
  records.entries.emplace_back(Entry::tensor, records.tensor_recs.size());
  records.tensor_recs.push_back(rec);
  if (state->tensors.size() > state->sweep_at) {
    sweep();
  }
  return entry;
}

/// The tensor's id (`tensor_entry`).
int64_t tensor_id(const at::TensorBase& t, PyObject* parameter_type = nullptr) {
  return tensor_entry(t, parameter_type).tid;
}

/// The id of a recorded tensor still alive, without registering one: what a variable names.
std::optional<int64_t> recorded_id(const c10::TensorImpl* impl) {
  auto it = state->tensors.find(impl);
  if (it == state->tensors.end() || it->second.ref.expired()) {
    return std::nullopt;
  }
  return it->second.tid;
}

template <typename F>
void each_tensor(const c10::IValue& value, F&& f) {
  if (value.isTensor()) {
    const at::Tensor& t = value.toTensor();
    if (t.defined()) {
      f(t);
    }
  } else if (value.isTensorList()) {
    for (const at::Tensor& t : value.toTensorList()) {
      if (t.defined()) {
        f(t);
      }
    }
  } else if (value.isList()) {
    for (const c10::IValue& item : value.toListRef()) {
      if (item.isTensor() && item.toTensor().defined()) {
        f(item.toTensor());
      }
    }
  } else if (value.isTuple()) {
    for (const c10::IValue& item : value.toTupleRef().elements()) {
      if (item.isTensor() && item.toTensor().defined()) {
        f(item.toTensor());
      }
    }
  }
}

// ------------------------------------------------------------------ operators and call sites

size_t kind_of(const at::RecordFunction& fn) {
  const char* name = fn.name();
  auto it = caches.kind_of_name.find(name);
  if (it != caches.kind_of_name.end()) {
    return it->second;
  }
  std::string qualified = name;
  std::string overload;
  if (auto op = fn.operator_name()) {
    qualified = op->name;
    overload = op->overload_name;
  }
  OpKind kind{Mode::hidden, {}, "\"\"", false, false, false};
  PyGILState_STATE gil = PyGILState_Ensure();
  try {
    py::tuple info = state->classify(qualified, overload);
    kind.mode = static_cast<Mode>(info[0].cast<int>());
    kind.writes = info[1].cast<std::vector<int64_t>>();
    kind.name = info[2].cast<std::string>();
    kind.writes_self = info[3].cast<bool>();
    kind.is_view = info[4].cast<bool>();
    kind.unbumped = info[5].cast<bool>();
  } catch (const std::exception& e) {
    refuse(std::string("the operator ") + qualified + " could not be classified (" + e.what() + ")");
  }
  PyGILState_Release(gil);
  const size_t index = caches.kinds.size();
  caches.kinds.push_back(std::move(kind));
  caches.kind_of_name.emplace(name, index);
  return index;
}

int code_class_of(PyCodeObject* code) {
  auto it = caches.code_class.find(code);
  if (it != caches.code_class.end()) {
    return it->second;
  }
  int cls = library_code;
  PyGILState_STATE gil = PyGILState_Ensure();
  try {
    cls = state->classify_code(py::handle(reinterpret_cast<PyObject*>(code))).cast<int>();
  } catch (const std::exception& e) {
    refuse(std::string("a code object could not be classified (") + e.what() + ")");
  }
  Py_INCREF(code);  // kept with its class until the recording stops, so its address stays its own
  PyGILState_Release(gil);
  caches.code_class.emplace(code, cls);
  return cls;
}

/// The call site of the running op: the Python frames from the innermost to the first program frame,
/// as an index into `sites`; SIZE_MAX when the op runs inside printing or another quiet call. Without
/// the GIL: the calling thread's frames do not change while it runs the op, and only a code object
/// met for the first time takes the GIL (to classify it).
size_t capture_site() {
  std::string& key = state->site_key;
  key.clear();
  std::vector<std::pair<PyCodeObject*, int>>& frames = state->site_frames;
  frames.clear();
  bool quiet = false;
  state->program_frame = nullptr;
  auto visit = [&](const void* frame, PyCodeObject* code, int lasti) {
    const int cls = code_class_of(code);
    quiet = quiet || cls == quiet_code;
    frames.emplace_back(code, lasti);
    key.append(reinterpret_cast<const char*>(&code), sizeof(code));
    key.append(reinterpret_cast<const char*>(&lasti), sizeof(lasti));
    if (cls == program_code) {
      state->program_frame = frame;
    }
    return cls == program_code;
  };
#ifdef TAPEDECK_INTERNAL_FRAMES
  PyThreadState* thread = PyGILState_GetThisThreadState();
  _PyInterpreterFrame* frame = thread != nullptr ? thread->cframe->current_frame : nullptr;
  for (; frame != nullptr; frame = frame->previous) {
    if (_PyFrame_IsIncomplete(frame)) {
      continue;
    }
    if (visit(frame, frame->f_code, _PyInterpreterFrame_LASTI(frame) * static_cast<int>(sizeof(_Py_CODEUNIT)))) {
      break;
    }
  }
#else
  PyGILState_STATE gil = PyGILState_Ensure();
  PyFrameObject* frame = PyEval_GetFrame();
  Py_XINCREF(frame);
  while (frame != nullptr) {
    PyCodeObject* code = PyFrame_GetCode(frame);
#if PY_VERSION_HEX >= 0x030B0000
    const int lasti = PyFrame_GetLasti(frame);
#else
    const int lasti = frame->f_lasti * 2;  // 3.10 counts code units
#endif
    const bool program = visit(frame, code, lasti);
    Py_DECREF(code);  // code_class keeps a reference
    PyFrameObject* back = program ? nullptr : PyFrame_GetBack(frame);
    Py_DECREF(frame);
    frame = back;
  }
  PyGILState_Release(gil);
#endif
  if (quiet) {
    return SIZE_MAX;
  }
  auto it = caches.site_of_key.find(key);
  if (it != caches.site_of_key.end()) {
    return it->second;
  }
  const size_t index = caches.sites.size();
  int line = 0;
  if (state->program_frame != nullptr) {
    PyGILState_STATE gil = PyGILState_Ensure();
    line = std::max(PyCode_Addr2Line(frames.back().first, frames.back().second), 0);
    PyGILState_Release(gil);
  }
  caches.sites.push_back(frames);
  caches.site_line.push_back(line);
  caches.site_of_key.emplace(key, index);
  return index;
}

#ifdef TAPEDECK_INTERNAL_FRAMES
/// NameBinder.scan's rule for one variable: a `bind` line when `name` holds a recorded tensor it did
/// not hold when last scanned in `code`. Names are told apart by their objects (interned strings,
/// kept alive here).
void bind_variable(const void* code, PyObject* name, PyObject* value, int line) {
  if (value == nullptr || !THPVariable_Check(value) || !PyUnicode_Check(name)) {
    return;
  }
  const bool dunder =
      PyUnicode_GET_LENGTH(name) >= 2 && PyUnicode_READ_CHAR(name, 0) == '_' && PyUnicode_READ_CHAR(name, 1) == '_';
  if (dunder) {
    return;
  }
  const std::optional<int64_t> recorded = recorded_id(THPVariable_Unpack(value).unsafeGetTensorImpl());
  if (!recorded) {
    return;
  }
  const int64_t tid = *recorded;
  auto [it, added] = state->bound.try_emplace(std::make_pair(code, static_cast<const void*>(name)), tid);
  if (!added) {
    if (it->second == tid) {
      return;
    }
    it->second = tid;
  }
  auto literal = state->name_literals.find(name);
  if (literal == state->name_literals.end()) {
    py::object held = py::reinterpret_borrow<py::object>(name);
    std::string text = state->js_name(held).cast<std::string>();
    literal = state->name_literals.emplace(name, std::make_pair(std::move(held), std::move(text))).first;
  }
  std::string out = "{\"k\":\"bind\",\"name\":";
  out += literal->second.second;
  out += ",\"t\":";
  out += std::to_string(tid);
  out += ",\"line\":";
  out += std::to_string(line);
  out += "}";
  records.entries.emplace_back(Entry::text, records.texts.size());
  records.texts.push_back(std::move(out));
}

/// NameBinder.scan over the interpreter's own frame, as `frame.f_locals` would show it (a function's
/// fast locals, cells and free variables read through; a module's or class body's namespace), in
/// a few hundred nanoseconds where Python's scan takes tens of microseconds.
void scan_frame(const _PyInterpreterFrame* frame, int line) {
  PyCodeObject* code = frame->f_code;
  if (!(code->co_flags & CO_OPTIMIZED)) {
    if (frame->f_locals != nullptr && PyDict_Check(frame->f_locals)) {
      Py_ssize_t position = 0;
      PyObject* name;
      PyObject* value;
      while (PyDict_Next(frame->f_locals, &position, &name, &value)) {
        bind_variable(code, name, value, line);
      }
    }
    return;
  }
  const char* kinds = PyBytes_AS_STRING(code->co_localspluskinds);
  for (int i = 0; i < code->co_nlocalsplus; ++i) {
    PyObject* value = frame->localsplus[i];
    const bool celled = (kinds[i] & (TAPEDECK_CO_FAST_CELL | TAPEDECK_CO_FAST_FREE)) != 0;
    if (value != nullptr && celled && PyCell_Check(value)) {
      value = PyCell_GET(value);
    }
    bind_variable(code, PyTuple_GET_ITEM(code->co_localsplusnames, i), value, line);
  }
}
#endif

/// Binds the program's variables (`bind` events, before the op) when the program frame of the op at
/// `site` is another one than the last op's, or the same one at another line, as NameBinder.observe
/// decides for the Python recorder. Once per program statement, not per op: the check is two
/// compares. Where the core reads the interpreter's frames (3.11, 3.12) it scans the frame itself;
/// elsewhere Python's `names(line, depth)` scans it and returns the lines.
void observe_names(size_t site) {
  const void* frame = state->program_frame;
  if (frame == nullptr || state->names_of.is_none()) {
    return;
  }
  const int line = caches.site_line[site];
  int statement = line;
  if (frame == state->named_frame) {
    if (line == state->named_line) {
      return;
    }
    statement = state->named_line;  // the statement that ran the frame's last op: `y = f(x)` bound `y`
  }
  state->named_frame = frame;
  state->named_line = line;
  PyGILState_STATE gil = PyGILState_Ensure();
  ++state->passive;
  try {
#ifdef TAPEDECK_INTERNAL_FRAMES
    scan_frame(static_cast<const _PyInterpreterFrame*>(frame), statement);
#else
    // Python finds the program frame this many frames above its callback's own, as capture_site did
    // from the op's caller, skipping the same incomplete frames (sys._getframe).
    const size_t depth = caches.sites[site].size();
    const py::list lines = state->names_of(statement, depth);
    for (const auto& text : lines) {
      records.entries.emplace_back(Entry::text, records.texts.size());
      records.texts.push_back(text.cast<std::string>());
    }
#endif
  } catch (const std::exception& e) {
    refuse(std::string("reading the program's variable names (") + e.what() + ")");
  }
  --state->passive;
  PyGILState_Release(gil);
}

// ------------------------------------------------------------------ nodes and saved slots

bool is_python_node(const Node* node) {
  return std::strcmp(typeid(*node).name(), "N5torch8autograd6PyNodeE") == 0;
}

struct Placed {
  size_t offset;
  size_t index;
  const SavedVariable* saved;
  bool hooked;  ///< packed by saved-tensor hooks: it holds what the pack hook returned, not a tensor
};

/// The SavedVariables `compiled_args` collects from `node`, in declaration order, each placed at its
/// member's offset (a vector element at its vector's offset and index), those packed by saved-tensor
/// hooks marked. False when some lie outside the node and its vector members, or compiled_args fails
/// (`why` says why).
bool placed_slots(Node* node, std::vector<Placed>& inside, std::string& why) {
  AutogradCompilerCall compiler(SizeInput::STATIC);
  NodeCall call(0, node->getptr());
  {
    CompiledNodeArgs args(compiler, call);
    try {
      node->compiled_args(args);
    } catch (const c10::Error& e) {
      why = e.what_without_backtrace();
      return false;
    }
  }
  std::vector<std::pair<const SavedVariable*, bool>> collected;
  for (const auto& entry : compiler.tensor_args.*get(SavedMapTag{})) {
    collected.emplace_back(entry.first, false);
  }
  for (const auto& entry : compiler.sv_to_hooks) {
    collected.emplace_back(entry.first, true);
  }
  const char* base = static_cast<const char*>(dynamic_cast<const void*>(node));
  const size_t size = malloc_usable_size(const_cast<char*>(base));
  std::vector<std::pair<const SavedVariable*, bool>> heap;
  for (const auto& entry : collected) {
    const char* at = reinterpret_cast<const char*>(entry.first);
    if (at >= base && at < base + size) {
      inside.push_back({static_cast<size_t>(at - base), 0, entry.first, entry.second});
    } else {
      heap.push_back(entry);
    }
  }
  std::sort(heap.begin(), heap.end());
  size_t start = 0;
  while (start < heap.size()) {
    size_t end = start + 1;
    while (end < heap.size() && heap[end].first == heap[end - 1].first + 1) {
      ++end;
    }
    size_t offset = SIZE_MAX;
    for (size_t at = 0; at + sizeof(void*) <= size; at += alignof(void*)) {
      const void* word;
      std::memcpy(&word, base + at, sizeof(word));
      if (word == heap[start].first) {
        offset = at;
        break;
      }
    }
    if (offset == SIZE_MAX) {
      why = "saved variables outside the node and its vector members";
      return false;
    }
    for (size_t i = start; i < end; ++i) {
      inside.push_back({offset, i - start + 1, heap[i].first, heap[i].second});
    }
    start = end;
  }
  std::sort(inside.begin(), inside.end(),
            [](const Placed& a, const Placed& b) { return std::tie(a.offset, a.index) < std::tie(b.offset, b.index); });
  return true;
}

size_t slot_name_index(const std::string& literal) {
  auto it = caches.slot_name_of.find(literal);
  if (it != caches.slot_name_of.end()) {
    return it->second;
  }
  const size_t index = caches.slot_names.size();
  caches.slot_names.push_back(literal);
  caches.slot_name_of.emplace(literal, index);
  return index;
}

/// `text` as a JSON string literal (a custom Function's class name: UTF-8 kept, quotes, backslashes and
/// control characters escaped).
std::string json_literal(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof(escaped), "\\u%04x", static_cast<unsigned>(c));
      out += escaped;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

/// Learns a node type's name and slot names (Python's getters, once per type): each `_raw_saved_<slot>`
/// getter returns the SavedVariable it reads, whose address gives the member's offset in the node.
void learn_type(NodeType& type, Node* node) {
  PyGILState_STATE gil = PyGILState_Ensure();
  try {
    py::object object = py::reinterpret_steal<py::object>(torch::autograd::functionToPyObject(node->getptr()));
    py::tuple info = state->slot_names_of(object);
    type.name = info[0].cast<std::string>();
    const char* base = static_cast<const char*>(dynamic_cast<const void*>(node));
    const size_t size = malloc_usable_size(const_cast<char*>(base));
    for (const auto& item : info[1].cast<py::list>()) {
      py::tuple slot = item.cast<py::tuple>();
      const std::string name = slot[0].cast<std::string>();
      py::object raw = slot[1];
      type.has_slots = true;
      if (py::isinstance<py::list>(raw) || py::isinstance<py::tuple>(raw)) {
        type.vectors = true;
        const size_t index = slot_name_index(name);
        py::sequence elements = raw.cast<py::sequence>();
        if (elements.size() == 0) {
          type.vector_names.push_back(index);
          continue;
        }
        const SavedVariable* first = elements[0].cast<SavedVariable*>();
        size_t offset = SIZE_MAX;
        for (size_t at = 0; at + sizeof(void*) <= size; at += alignof(void*)) {
          const void* word;
          std::memcpy(&word, base + at, sizeof(word));
          if (word == first) {
            offset = at;
            break;
          }
        }
        if (offset == SIZE_MAX) {
          refuse("the saved slot " + name + " of " + type.name + " could not be located");
        }
        type.members.emplace_back(offset, index);
      } else {
        const char* at = reinterpret_cast<const char*>(raw.cast<SavedVariable*>());
        type.members.emplace_back(static_cast<size_t>(at - base), slot_name_index(name));
      }
    }
    type.known = true;
  } catch (const std::exception& e) {
    refuse(std::string("the saved slots of a grad_fn could not be read (") + e.what() + ")");
  }
  PyGILState_Release(gil);
}

int64_t note_node(Node* node, int64_t op, const std::vector<Holder>& holders);

/// Appends a saved slot whose name, version and output flags are set. A saved output of `node` is the
/// op output holding it (one id for both); anything else is the saved data's own tensor.
void push_slot(SlotRec slot, const at::Tensor& data, const Node* node, const std::vector<Holder>& holders) {
  slot.tid = -1;
  if (slot.is_output) {
    for (const Holder& holder : holders) {
      if (holder.node == node && holder.output_nr == slot.output_nr) {
        slot.tid = holder.tid;
      }
    }
  }
  if (slot.tid < 0) {
    slot.tid = tensor_id(data);
  }
  slot.shape_at = records.shapes.size();
  for (int64_t size : data.sizes()) {
    records.shapes.push_back(size);
  }
  slot.dims = records.shapes.size() - slot.shape_at;
  records.slots.push_back(slot);
}

/// What a slot packed by saved-tensor hooks stands for: the tensor inputs of the non-reentrant
/// checkpoint whose forward is running, with the versions its frame saved them at (Python's
/// `CheckpointInputs.current`); none under hooks the program installed itself, which PyTorch does not
/// version-check either. Read once per node that has such a slot.
std::vector<CheckpointInput> checkpoint_inputs() {
  std::vector<CheckpointInput> inputs;
  PyGILState_STATE gil = PyGILState_Ensure();
  try {
    for (const auto& item : state->checkpoint_inputs_of()) {
      py::tuple pair = item.cast<py::tuple>();
      inputs.push_back({pair[0].cast<at::Tensor>(), pair[1].cast<int64_t>()});
    }
  } catch (const std::exception& e) {
    refuse(std::string("the inputs of a checkpoint could not be read (") + e.what() + ")");
  }
  PyGILState_Release(gil);
  return inputs;
}

/// A hooked slot as the Python recorder writes it (checkpoint.py): one save of each checkpoint input,
/// under the slot's name, at the version the checkpoint saved it.
void push_hooked_slot(size_t name, const std::vector<CheckpointInput>& inputs, const Node* node,
                      const std::vector<Holder>& holders) {
  for (const CheckpointInput& input : inputs) {
    SlotRec slot{};
    slot.name = name;
    slot.version = input.version;
    push_slot(slot, input.tensor, node, holders);
  }
}

/// Records a new node: its edges (registering unknown children first), AccumulateGrad's variable, and
/// its saved slots with their saved versions.
int64_t add_node(Node* node, int64_t op, const std::vector<Holder>& holders) {
  NodeRec rec{};
  rec.op = op;
  rec.var = -1;
  rec.name = SIZE_MAX;
  rec.seq = node->sequence_nr();
  std::vector<std::pair<int64_t, int64_t>> edges;
  for (const auto& edge : node->next_edges()) {
    if (edge.function) {
      // A child created before this op, or an AccumulateGrad, is not this op's.
      const bool earlier = edge.function->sequence_nr() < state->op_seq || edge.function->sequence_nr() == UINT64_MAX;
      edges.emplace_back(note_node(edge.function.get(), earlier ? -1 : op, holders), edge.input_nr);
    } else {
      edges.emplace_back(-1, 0);
    }
  }
  const bool custom = node == state->custom_adding;
  if (is_python_node(node) && !custom) {
    refuse("custom autograd Functions applied before the recording started");
  }
  const std::type_info* key = &typeid(*node);
  NodeType& type = caches.node_types[key];
  if (!type.known) {
    caches.type_order.push_back(key);
    learn_type(type, node);
  }
  rec.type = std::find(caches.type_order.begin(), caches.type_order.end(), key) - caches.type_order.begin();
  if (auto* accumulate = dynamic_cast<torch::autograd::AccumulateGrad*>(node)) {
    rec.var = tensor_id(accumulate->variable);
  }
  rec.nid = state->next_nid++;
  state->nodes.insert_or_assign(node, NodeEntry{rec.nid, c10::weak_intrusive_ptr<Node>(node->getptr())});
  if (rec.seq != UINT64_MAX) {
    state->nid_of_seq[rec.seq] = rec.nid;
  }
  rec.edges_at = records.pairs.size();
  records.pairs.insert(records.pairs.end(), edges.begin(), edges.end());
  rec.edges = edges.size();
  rec.slots_at = records.slots.size();
  if (type.has_slots && state->refusal.empty()) {
    std::vector<Placed> placed;
    std::string why;
    if (!placed_slots(node, placed, why)) {
      refuse("the saved slots of " + type.name + " (" + why + ")");
    }
    std::vector<CheckpointInput> inputs;
    bool inputs_read = false;
    for (const Placed& p : placed) {
      size_t name = SIZE_MAX;
      for (const auto& member : type.members) {
        if (member.first == p.offset) {
          name = member.second;
        }
      }
      if (name == SIZE_MAX && p.index > 0 && type.vector_names.size() == 1) {
        name = type.vector_names[0];
        type.members.emplace_back(p.offset, name);
        type.vector_names.clear();
      }
      if (name == SIZE_MAX) {
        refuse("a saved slot of " + type.name + " has no name");
        break;
      }
      if (p.index > 0) {
        std::string element = caches.slot_names[name];
        element.insert(element.size() - 1, "[" + std::to_string(p.index - 1) + "]");
        name = slot_name_index(element);
      }
      if (p.hooked) {
        if (!inputs_read) {
          inputs = checkpoint_inputs();
          inputs_read = true;
        }
        push_hooked_slot(name, inputs, node, holders);
        continue;
      }
      const SavedVariable& saved = *p.saved;
      const at::Tensor& data = saved.*get(DataTag{});
      if (!data.defined()) {
        continue;
      }
      SlotRec slot{};
      slot.name = name;
      slot.is_output = saved.*get(IsOutputTag{}) && !(saved.*get(IsLeafTag{}));
      slot.output_nr = slot.is_output ? saved.*get(OutputNrTag{}) : 0;
      slot.version = saved.*get(VersionTag{});
      push_slot(slot, data, node, holders);
    }
  }
  if (custom) {
    rec.name = slot_name_index(json_literal(node->name()));
    for (const CustomSave& save : *state->custom_saves) {
      SlotRec slot{};
      slot.name = save.name;
      slot.is_output = save.is_output;
      slot.output_nr = save.output_nr;
      slot.version = save.version;
      push_slot(slot, save.data, node, holders);
    }
  }
  rec.slots = records.slots.size() - rec.slots_at;
  records.entries.emplace_back(Entry::node, records.node_recs.size());
  records.node_recs.push_back(rec);
  return rec.nid;
}

int64_t note_node(Node* node, int64_t op, const std::vector<Holder>& holders) {
  auto it = state->nodes.find(node);
  if (it != state->nodes.end()) {
    if (!it->second.ref.expired()) {
      return it->second.nid;
    }
    state->nodes.erase(it);
  }
  return add_node(node, op, holders);
}

// ------------------------------------------------------------------ the observer

enum Frame : uint8_t { skipped, transparent, opaque, recorded };

void unwatch_raised();
void resolve_sites();

/// The trace function `watch_raised` installs: at the first exception event in the frame that called
/// the raising op, hands the exception and the op's call site to Python's `raised` (which writes an
/// `error` event, as the Python recorder does for an exception a torch call raised) and puts back
/// the trace function it replaced. CPython has taken the exception out of the thread state while a
/// trace function runs, and runs none for what that function calls.
int on_trace(PyObject*, PyFrameObject* frame, int what, PyObject* arg) {
  if (what != PyTrace_EXCEPTION || state == nullptr || state->raised_site == SIZE_MAX) {
    return 0;
  }
  const size_t site = state->raised_site;
  PyCodeObject* code = PyFrame_GetCode(frame);
  const bool caller = code == caches.sites[site].front().first;
  Py_DECREF(code);
  if (!caller) {
    return 0;  // an exception of some other code, raised while this one was on its way
  }
  unwatch_raised();
  try {
    resolve_sites();
    state->raised_of(py::handle(PyTuple_GetItem(arg, 1)), caches.site_text[site]);
  } catch (const std::exception&) {
    // The recording's own failure must not replace the program's exception (nor leave this C
    // callback): the error goes unwritten.
  }
  return 0;
}

/// Waits for the exception the op at `site` raised to reach Python (`on_trace`).
void watch_raised(size_t site) {
  PyGILState_STATE gil = PyGILState_Ensure();
  if (state->raised_site == SIZE_MAX) {
    PyThreadState* thread = PyThreadState_Get();
    state->saved_trace = thread->c_tracefunc;
    state->saved_trace_object = thread->c_traceobj;
    Py_XINCREF(state->saved_trace_object);
    PyEval_SetTrace(on_trace, nullptr);
  }
  state->raised_site = site;
  PyGILState_Release(gil);
}

/// Puts back the trace function `watch_raised` replaced (the GIL held).
void unwatch_raised() {
  if (state->raised_site == SIZE_MAX) {
    return;
  }
  state->raised_site = SIZE_MAX;
  PyObject* saved = state->saved_trace_object;
  PyEval_SetTrace(state->saved_trace, saved);
  Py_XDECREF(saved);
  state->saved_trace = nullptr;
  state->saved_trace_object = nullptr;
}

/// The recorded op is raising. The Python recorder writes no op that raised, so its inputs are
/// dropped and its index given back; its exception is written where it reaches the program.
void drop_raising_op() {
  const OpRec& op = state->current;
  records.pairs.resize(op.ins_at);
  state->written.clear();
  if (state->next_op == op.index + 1) {
    --state->next_op;
  }
  watch_raised(op.site);
}

/// Enters an op of operator `kind` whose nested ops are not recorded (a recorded or hidden one, or one
/// in quiet code). Where the outermost such op is of an operator that nests many (`OpKind::quiets`),
/// the forward observer is switched off until it ends, so the ops nested in it do not box their inputs
/// and outputs for it; the op's own end callback still runs (a RecordFunction keeps the callbacks it
/// started with). Only this observer: a profiler the program runs still sees them.
void enter_opaque(size_t kind) {
  if (state->opaque++ > 0) {
    return;
  }
  OpKind& op = caches.kinds[kind];
  state->outer = kind;
  if (op.runs <= learning_runs) {
    ++op.runs;
  }
  if (op.quiets()) {
    at::disableCallback(ops_handle);
    state->quieted = true;
  }
}

/// Leaves an op `enter_opaque` entered.
void leave_opaque() {
  if (--state->opaque == 0 && state->quieted) {
    at::reenableCallback(ops_handle);
    state->quieted = false;
  }
}

/// Counts an op nested in the outermost op `enter_opaque` entered, while its operator is learning.
void count_nested() {
  OpKind& outer = caches.kinds[state->outer];
  if (outer.runs <= learning_runs) {
    ++outer.nested;
  }
}

void start_op(const at::RecordFunction& fn, const OpKind& kind, size_t kind_index) {
  const size_t site = capture_site();
  if (site == SIZE_MAX) {
    state->stack.push_back(opaque);
    enter_opaque(kind_index);
    return;
  }
  if (state->raised_site != SIZE_MAX) {
    // The exception never reached the program (C++ caught it): stop waiting for it.
    PyGILState_STATE gil = PyGILState_Ensure();
    unwatch_raised();
    PyGILState_Release(gil);
  }
  PyObject* parameter_type = state->parameter_type;
  OpRec& op = state->current;
  op = OpRec{};
  op.unwinding = std::uncaught_exceptions();
  op.kind = kind_index;
  op.site = site;
  op.grad = at::GradMode::is_enabled();
  op.ins_at = records.pairs.size();
  state->written.clear();
  const auto inputs = fn.inputs();
  for (size_t i = 0; i < inputs.size(); ++i) {
    const bool writes = std::find(kind.writes.begin(), kind.writes.end(), static_cast<int64_t>(i)) != kind.writes.end();
    each_tensor(inputs[i], [&](const at::Tensor& t) {
      TensorEntry& entry = tensor_entry(t, parameter_type);
      const int64_t tid = entry.tid;
      const int64_t version = version_of(t.unsafeGetTensorImpl());
      Counter* counter = entry.counter;
      if (counter != nullptr && counter->model != version) {
        // The counter moved where no recorded op wrote (gradient accumulation in backward).
        records.entries.emplace_back(Entry::sync, records.sync_recs.size());
        records.sync_recs.push_back({counter->vc, tid, counter->model, version});
        counter->model = version;
      }
      records.pairs.emplace_back(tid, version);
      if (writes) {
        state->written.push_back({t, &entry, version});
      }
    });
  }
  op.ins = records.pairs.size() - op.ins_at;
  observe_names(site);  // after the inputs, which the statement before may have named
  op.index = state->next_op++;
  state->op_seq = at::sequence_number::peek();
  state->stack.push_back(recorded);
  enter_opaque(kind_index);
}

/// Writes a `gradfn` event when the tensor `holder` stands for now holds node `nid` as its grad_fn and
/// the trace last gave it another.
void note_grad_fn(const Holder& holder, int64_t nid, const at::Tensor& tensor) {
  TensorEntry& entry = *holder.entry;
  if (entry.node == nid) {
    return;
  }
  entry.node = nid;
  records.entries.emplace_back(Entry::gradfn, records.gradfn_recs.size());
  records.gradfn_recs.push_back(
      {holder.tid, nid, holder.output_nr, version_of(tensor.unsafeGetTensorImpl()), tensor.requires_grad()});
}

void end_op(const at::RecordFunction& fn) {
  OpRec& op = state->current;
  std::vector<at::Tensor>& outputs = state->outputs;
  outputs.clear();
  for (const auto& value : fn.outputs()) {
    each_tensor(value, [&](const at::Tensor& t) { outputs.push_back(t); });
  }
  // Outputs are listed at their versions after the op; written inputs that moved are bumps.
  std::vector<std::pair<int64_t, int64_t>>& outs = state->outs;
  std::vector<TensorEntry*>& out_entries = state->out_entries;
  outs.clear();
  out_entries.clear();
  for (const at::Tensor& t : outputs) {
    TensorEntry& entry = tensor_entry(t);
    outs.emplace_back(entry.tid, version_of(t.unsafeGetTensorImpl()));
    out_entries.push_back(&entry);
  }
  op.bumps_at = records.bumps.size();
  const bool unbumped = caches.kinds[op.kind].unbumped;
  for (const Written& w : state->written) {
    const int64_t after = version_of(w.tensor.unsafeGetTensorImpl());
    const TensorEntry& written = *w.entry;
    if ((after != w.before || unbumped) && written.counter != nullptr) {
      records.bumps.push_back(
          {written.counter->vc, written.tid, w.before, after, records.previews.capture(w.tensor, state->preview_rule)});
      written.counter->model = after;
    }
  }
  op.bumps = records.bumps.size() - op.bumps_at;
  // The tensor each output's grad_fn was set on: an in-place write through a view rebases its base.
  std::vector<Holder>& holders = state->holders;
  std::vector<at::Tensor>& holder_tensors = state->holder_tensors;
  holders.clear();
  holder_tensors.clear();
  for (size_t i = 0; i < outputs.size(); ++i) {
    const at::Tensor& t = outputs[i];
    bool written = false;
    for (const Written& w : state->written) {
      written = written || w.tensor.unsafeGetTensorImpl() == t.unsafeGetTensorImpl();
    }
    const bool rebased = written && t.is_view();
    const at::Tensor holder = rebased ? at::Tensor(t._base()) : t;
    Node* node = torch::autograd::impl::grad_fn_unsafe(holder);
    if (node != nullptr) {
      TensorEntry& entry = rebased ? tensor_entry(holder) : *out_entries[i];
      holders.push_back({node, holder.output_nr(), entry.tid, &entry});
      holder_tensors.push_back(holder);
    }
  }
  op.outs_at = records.pairs.size();
  records.pairs.insert(records.pairs.end(), outs.begin(), outs.end());
  op.outs = outs.size();
  records.entries.emplace_back(Entry::op, records.op_recs.size());
  records.op_recs.push_back(op);
  for (size_t i = 0; i < holders.size(); ++i) {
    Node* node = torch::autograd::impl::grad_fn_unsafe(holder_tensors[i]);
    note_grad_fn(holders[i], note_node(node, op.index, holders), holder_tensors[i]);
  }
  state->written.clear();
}

void record_run(const at::RecordFunction& fn) {
  const int64_t seq = fn.seqNr();
  std::lock_guard<std::mutex> lock(state->run_mutex);
  int64_t nid = -1;
  auto it = state->nid_of_seq.find(static_cast<uint64_t>(seq));
  if (seq >= 0 && it != state->nid_of_seq.end()) {
    nid = it->second;
  } else {
    // An AccumulateGrad has no sequence number of its own: the engine's current node names it.
    const auto current = torch::autograd::get_current_node();
    auto known = current ? state->nodes.find(current.get()) : state->nodes.end();
    if (known == state->nodes.end() || known->second.ref.expired()) {
      return;  // a node this recording never saw
    }
    nid = known->second.nid;
  }
  RunRec run{nid, state->run_grads.size(), 0};
  for (const auto& value : fn.inputs()) {
    if (value.isTensor() && value.toTensor().defined()) {
      const at::Tensor& grad = value.toTensor();
      const auto sizes = grad.sizes();
      state->run_grads.push_back(static_cast<int64_t>(sizes.size()));
      state->run_grads.insert(state->run_grads.end(), sizes.begin(), sizes.end());
      const size_t preview = state->run_previews.capture(grad, state->preview_rule);
      state->run_grads.push_back(preview == SIZE_MAX ? -1 : static_cast<int64_t>(preview));
    } else {
      state->run_grads.push_back(-1);
    }
    ++run.grads;
  }
  state->runs.push_back(run);
}

std::unique_ptr<at::ObserverContext> on_start(const at::RecordFunction& fn) {
  if (state == nullptr || !state->active) {
    return nullptr;
  }
  if (fn.scope() == at::RecordScope::BACKWARD_FUNCTION) {
    if (state->in_backward) {
      record_run(fn);
    }
    return nullptr;
  }
  if (std::this_thread::get_id() != state->thread) {
    return nullptr;
  }
  // Ops run with the Python key excluded (inside tensor construction) are not ops a Python dispatch
  // mode sees, and the Python recorder does not write them either.
  if (state->passive || state->opaque > 0 || c10::InferenceMode::is_enabled() ||
      c10::impl::tls_is_dispatch_key_excluded(c10::DispatchKey::Python)) {
    if (state->opaque > 0) {
      count_nested();
    }
    state->stack.push_back(skipped);
    return nullptr;
  }
  const size_t kind_index = kind_of(fn);
  const OpKind& kind = caches.kinds[kind_index];
  if (kind.mode == Mode::transparent) {
    state->stack.push_back(transparent);
  } else if (kind.mode == Mode::hidden) {
    state->stack.push_back(opaque);
    enter_opaque(kind_index);
  } else {
    start_op(fn, kind, kind_index);
  }
  return nullptr;
}

void on_end(const at::RecordFunction& fn, at::ObserverContext*) {
  if (state == nullptr || !state->active || fn.scope() == at::RecordScope::BACKWARD_FUNCTION ||
      std::this_thread::get_id() != state->thread || state->stack.empty()) {
    return;
  }
  const uint8_t frame = state->stack.back();
  state->stack.pop_back();
  if (frame == recorded) {
    leave_opaque();
    if (std::uncaught_exceptions() > state->current.unwinding) {
      drop_raising_op();
    } else {
      end_op(fn);
    }
  } else if (frame == opaque) {
    leave_opaque();
  }
}

// ------------------------------------------------------------------ formatting

/// The two digits of each number from 0 to 99.
constexpr std::array<char, 200> digit_pairs = [] {
  std::array<char, 200> pairs{};
  for (size_t i = 0; i < 100; ++i) {
    pairs[2 * i] = static_cast<char>('0' + i / 10);
    pairs[2 * i + 1] = static_cast<char>('0' + i % 10);
  }
  return pairs;
}();

/// The eight digits of `value` (below 10^8), leading zeros included, as the bytes of a word, the
/// first digit in its lowest byte (as `store_word` stores them): its two halves of four digits, each
/// split into two pairs (/ 100 as × 10486 >> 20), each pair into two digits (/ 10 as × 103 >> 10),
/// all exact below 10^4.
C10_ALWAYS_INLINE uint64_t eight_digits(uint32_t value) {
  const uint64_t halves = (value / 10000) | (uint64_t{value % 10000} << 32);
  const uint64_t high_pairs = ((halves * 10486) >> 20) & 0x0000007F0000007FULL;
  const uint64_t pairs = ((halves - 100 * high_pairs) << 16) + high_pairs;
  const uint64_t tens = ((pairs * 103) >> 10) & 0x000F000F000F000FULL;
  const uint64_t digits = tens + ((pairs - 10 * tens) << 8);
  return digits | 0x3030303030303030ULL;
}

/// Stores the bytes of `word` at `at`, its lowest byte first.
C10_ALWAYS_INLINE void store_word(char* at, uint64_t word) {
  if constexpr (std::endian::native == std::endian::big) {
    word = __builtin_bswap64(word);
  }
  std::memcpy(at, &word, sizeof(word));
}

/// How many decimal digits `value` has.
size_t decimal_length(uint64_t value) {
  static constexpr std::array<uint64_t, 20> powers = [] {
    std::array<uint64_t, 20> tens{};
    uint64_t power = 1;
    for (auto& entry : tens) {
      entry = power;
      power *= 10;
    }
    return tens;
  }();
  const int guess = (std::bit_width(value | 1) * 1233) >> 12;  // floor(log10(value)), or one more
  return static_cast<size_t>(guess - ((value | 1) < powers[static_cast<size_t>(guess)]) + 1);
}

/// The decimal digits of `value` into the bytes before `end`: the last eight at a time, the rest two
/// at a time.
void write_digits(uint64_t value, char* end) {
  char* at = end;
  while (value >= 100000000) {
    at -= 8;
    store_word(at, eight_digits(static_cast<uint32_t>(value % 100000000)));
    value /= 100000000;
  }
  while (value >= 100) {
    at -= 2;
    std::memcpy(at, &digit_pairs[2 * (value % 100)], 2);
    value /= 100;
  }
  if (value >= 10) {
    std::memcpy(at - 2, &digit_pairs[2 * value], 2);
  } else {
    at[-1] = static_cast<char>('0' + value);
  }
}

/// The decimal digits of `value` into `text` (at most 20 of them); returns their count.
size_t write_decimal(uint64_t value, char* text) {
  const size_t count = decimal_length(value);
  write_digits(value, text + count);
  return count;
}

/// The trace text being formatted: a byte buffer that keeps its memory from one take to the next.
/// Appending a literal copies a length known at compile time after one capacity check, inline (a
/// std::string append, or this class's when GCC leaves it out of line, is a call per piece: about 37
/// instructions for a few bytes, 126,000 times a step).
class Buffer {
 public:
  template <size_t N>
  C10_ALWAYS_INLINE Buffer& operator+=(const char (&literal)[N]) {
    append(literal, N - 1);
    return *this;
  }

  Buffer& operator+=(const std::string& text) {
    append(text.data(), text.size());
    return *this;
  }

  C10_ALWAYS_INLINE Buffer& operator+=(char c) {
    room(1);
    bytes_[used_++] = c;
    return *this;
  }

  C10_ALWAYS_INLINE void append(const char* text, size_t size) {
    room(size);
    std::memcpy(bytes_.data() + used_, text, size);
    used_ += size;
  }

  /// The end of the text, with room for `size` more bytes after it: for a writer that writes there
  /// and then calls `advance_to` with the end of what it wrote.
  C10_ALWAYS_INLINE char* space(size_t size) {
    room(size);
    return bytes_.data() + used_;
  }

  C10_ALWAYS_INLINE void advance_to(char* end) {
    used_ = static_cast<size_t>(end - bytes_.data());
  }

  /// A decimal integer; one digit (most versions, output numbers and dimensions) inline, the others
  /// through `digits`.
  template <typename Int>
  C10_ALWAYS_INLINE void number(Int value) {
    if (static_cast<uint64_t>(value) < 10) {
      *this += static_cast<char>('0' + value);
    } else {
      digits(value);
    }
  }

  void boolean(bool value) {
    if (value) {
      *this += "true";
    } else {
      *this += "false";
    }
  }

  /// The text so far as a read-only Python memoryview of the buffer's own memory, not a copy (a
  /// step's text is hundreds of kilobytes): valid until the buffer is written again. The buffer is
  /// emptied (its memory kept).
  py::memoryview take() {
    static const char none = 0;
    const char* text = used_ > 0 ? bytes_.data() : &none;
    py::memoryview view = py::memoryview::from_memory(text, static_cast<py::ssize_t>(used_));
    used_ = 0;
    return view;
  }

  void clear() {
    used_ = 0;
  }

  /// The text so far as a string; the buffer is emptied (its memory kept).
  std::string take_string() {
    std::string text(bytes_.data(), used_);
    used_ = 0;
    return text;
  }

 private:
  C10_ALWAYS_INLINE void room(size_t size) {
    if (bytes_.size() - used_ < size) {
      grow(size);
    }
  }

  template <typename Int>
  C10_NOINLINE void digits(Int value) {
    room(24);
    char* at = bytes_.data() + used_;
    uint64_t magnitude = static_cast<uint64_t>(value);
    if constexpr (std::is_signed_v<Int>) {
      if (value < 0) {
        *at++ = '-';
        magnitude = 0 - magnitude;
      }
    }
    // Most ids and versions have two or three digits; one comes here only after a minus sign.
    if (magnitude < 10) {
      *at++ = static_cast<char>('0' + magnitude);
    } else if (magnitude < 100) {
      std::memcpy(at, &digit_pairs[2 * magnitude], 2);
      at += 2;
    } else if (magnitude < 1000) {
      *at = static_cast<char>('0' + magnitude / 100);
      std::memcpy(at + 1, &digit_pairs[2 * (magnitude % 100)], 2);
      at += 3;
    } else {
      at += write_decimal(magnitude, at);
    }
    used_ = static_cast<size_t>(at - bytes_.data());
  }

  C10_NOINLINE void grow(size_t size) {
    bytes_.resize(std::max(2 * bytes_.size(), used_ + size + 4096));
  }

  std::vector<char> bytes_;
  size_t used_ = 0;
};

/// The text `take` and `end_backward` format, kept from one call to the next (empty between them).
Buffer formatted;

/// `count` integers from `first` as a JSON array (a shape).
void append_ints(Buffer& out, const int64_t* first, size_t count) {
  out += '[';
  for (size_t i = 0; i < count; ++i) {
    if (i) {
      out += ',';
    }
    out.number(first[i]);
  }
  out += ']';
}

void append_shape(Buffer& out, size_t at, size_t dims) {
  append_ints(out, records.shapes.data() + at, dims);
}

void append_pairs(Buffer& out, size_t at, size_t count) {
  out += '[';
  for (size_t i = 0; i < count; ++i) {
    if (i) {
      out += ',';
    }
    out += '[';
    out.number(records.pairs[at + i].first);
    out += ',';
    out.number(records.pairs[at + i].second);
    out += ']';
  }
  out += ']';
}

/// 5^j for j from 0 to 55 (the last below 2^128), each shifted left to fill 128 bits: `high` and
/// `low` halves, and `log2` = floor(log2(5^j)). Exact, so a product with one is too.
struct PowerOfFive {
  uint64_t high, low;
  int log2;
};

constexpr std::array<PowerOfFive, 56> powers_of_five = [] {
  std::array<PowerOfFive, 56> powers{};
  unsigned __int128 power = 1;
  for (auto& entry : powers) {
    int log2 = 127;
    while ((power >> log2) == 0) {
      --log2;
    }
    const unsigned __int128 filled = power << (127 - log2);
    entry = {static_cast<uint64_t>(filled >> 64), static_cast<uint64_t>(filled), log2};
    power *= 5;
  }
  return powers;
}();

/// `x` × `power`'s 128 bits / 2^128, rounded to odd: rounded down, its last bit set where that
/// dropped a non-zero bit (which keeps comparisons with multiples of 4 exact: Schubfach's lemma).
C10_ALWAYS_INLINE uint64_t scaled_to_odd(uint64_t x, const PowerOfFive& power) {
  const unsigned __int128 low = static_cast<unsigned __int128>(x) * power.low;
  const unsigned __int128 middle = static_cast<unsigned __int128>(x) * power.high + static_cast<uint64_t>(low >> 64);
  const bool dropped = (static_cast<uint64_t>(middle) | static_cast<uint64_t>(low)) != 0;
  return static_cast<uint64_t>(middle >> 64) | static_cast<uint64_t>(dropped);
}

/// Drops the trailing zeros of `digits` (not 0), counting them in `exponent`.
C10_ALWAYS_INLINE void drop_trailing_zeros(uint64_t& digits, int& exponent) {
  while (digits % 100000000 == 0) {
    digits /= 100000000;
    exponent += 8;
  }
  if (digits % 10000 == 0) {
    digits /= 10000;
    exponent += 4;
  }
  if (digits % 100 == 0) {
    digits /= 100;
    exponent += 2;
  }
  if (digits % 10 == 0) {
    digits /= 10;
    exponent += 1;
  }
}

/// The shortest decimal that reads back as `value` (finite, positive, normal), the one closest to it
/// and ties to even, as `digits` × 10^`exponent`: what Python's `repr` writes. Schubfach (Giulietti
/// 2020) with exact powers of five instead of its rounded table: the value and its rounding
/// interval's bounds, times 4, scaled by 10^-k (k = floor(log10) of the gap between neighbours) and
/// rounded to odd, exactly for 2^-130 <= value < 2^63: there 10^-k is 5^-k (at most 5^55) times a
/// power of two, or (k of 1 to 3) a division by 5^k. At that scale the interval holds one or two
/// integers: if it holds a multiple of 10, that one (with its trailing zeros dropped) is the
/// shortest; else the nearer of the two. False outside that range: to_chars writes those.
C10_ALWAYS_INLINE bool shortest_decimal(double value, uint64_t& digits, int& exponent) {
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  const int biased = static_cast<int>(bits >> 52);  // value is positive: no sign bit
  const uint64_t fraction = bits & ((uint64_t{1} << 52) - 1);
  // value = c × 2^q; the interval's bounds are halfway to its neighbours, the one below nearer
  // where c is the smallest mantissa (just above a power of two).
  const int q = biased - 1075;
  if (biased == 0 || q > 10) {
    return false;
  }
  const uint64_t c = (uint64_t{1} << 52) | fraction;
  const bool regular = fraction != 0 || biased == 1;
  const int64_t scale = int64_t{661971961083} * q - (regular ? 0 : int64_t{274743187321});
  const int k = static_cast<int>(scale >> 41);  // floor(log10(2^q)), or of 3/4 × 2^q
  const uint64_t cb = c << 2;
  const uint64_t below = regular ? 2 : 1;
  uint64_t vb, vbl, vbr;  // 4 × value × 10^-k and its bounds, rounded to odd
  if (k <= 0) {
    if (k < -55) {
      return false;
    }
    // value × 10^-k = c × 2^q × 5^-k × 2^-k = (c << h) × (5^-k << (127 - log2)) / 2^128, h in 1..4.
    const PowerOfFive& power = powers_of_five[static_cast<size_t>(-k)];
    const int h = q - k + 1 + power.log2;
    vb = scaled_to_odd(cb << h, power);
    vbl = scaled_to_odd((cb - below) << h, power);
    vbr = scaled_to_odd((cb + 2) << h, power);
  } else {
    const PowerOfFive& power = powers_of_five[static_cast<size_t>(k)];
    const uint64_t divisor = power.high >> (63 - power.log2);  // 5^k
    const int shift = q - k;  // value × 10^-k = c × 2^(q - k) / 5^k
    const auto divided = [&](uint64_t bound) {
      const uint64_t scaled = bound << shift;
      return scaled / divisor | static_cast<uint64_t>(scaled % divisor != 0);
    };
    vb = divided(cb);
    vbl = divided(cb - below);
    vbr = divided(cb + 2);
  }
  // The bounds read back as value itself where its mantissa is even (ties to even): then they are
  // in the interval.
  const uint64_t out = c & 1;
  const uint64_t s = vb >> 2;  // the integer at or below value × 10^-k
  const uint64_t lower = s / 10 * 10;
  const uint64_t upper = lower + 10;
  const bool lower_in = vbl + out <= lower << 2;
  const bool upper_in = (upper << 2) + out <= vbr;
  if (lower_in != upper_in) {
    digits = (lower_in ? lower : upper) / 10;
    exponent = k + 1;
    if (digits % 10 == 0) {
      drop_trailing_zeros(digits, exponent);
    }
    return true;
  }
  const uint64_t t = s + 1;
  const bool s_in = vbl + out <= s << 2;
  const bool t_in = (t << 2) + out <= vbr;
  if (s_in != t_in) {
    digits = s_in ? s : t;
  } else {
    const int64_t above_middle = static_cast<int64_t>(vb - ((s + t) << 1));
    digits = above_middle < 0 || (above_middle == 0 && (s & 1) == 0) ? s : t;
  }
  exponent = k;
  return true;
}

/// `magnitude` (finite, not negative) as std::to_chars writes it, the shortest decimal that reads
/// back as it, as `digits` × 10^`exponent`: for the values `shortest_decimal` leaves out.
C10_NOINLINE void to_chars_decimal(double magnitude, uint64_t& digits, int& exponent) {
  char text[40];
  const char* end = std::to_chars(text, text + sizeof(text), magnitude, std::chars_format::scientific).ptr;
  const char* mark = std::find(static_cast<const char*>(text), end, 'e');
  int point = 0;
  std::from_chars(mark + (mark[1] == '+' ? 2 : 1), end, point);  // text has no terminating NUL
  digits = 0;
  int count = 0;
  for (const char* at = text; at < mark; ++at) {
    if (*at != '.') {
      digits = 10 * digits + static_cast<uint64_t>(*at - '0');
      ++count;
    }
  }
  exponent = point - count + 1;
}

/// `magnitude` (finite, not negative) as Python's `repr` has it, the shortest decimal that reads back
/// as it, as `digits` × 10^`exponent`: `shortest_decimal`'s, else `to_chars_decimal`'s.
C10_ALWAYS_INLINE void repr_decimal(double magnitude, uint64_t& digits, int& exponent) {
  if (!shortest_decimal(magnitude, digits, exponent)) {
    to_chars_decimal(magnitude, digits, exponent);
  }
}

/// The longest text `write_float` writes (`-1.2345678901234567e-308`), and how far past its text's
/// end its fixed-size copies may write.
constexpr size_t longest_float = 24;
constexpr size_t float_overshoot = 16;

/// `value` as Python's `repr` writes a float (the shortest text that reads back as it; positional
/// from 1e-4 up to 1e16, with at least one digit after the point, else `1.5e-05`), NaN and the
/// infinities as the strings the trace format uses for them, at `at`, which has room for
/// `longest_float` + `float_overshoot` bytes; returns the end of the text. The digits are made as a
/// 17th digit from the right and two words of eight. Most values (float32 values read as doubles)
/// have 16 or 17 digits and are below 1 or written with an exponent: their words are stored where
/// they go. The others go through a local text, copied into place in fixed-size pieces (reading bytes
/// back right after storing them is the slower way: the loads wait for the stores).
char* write_float(char* at, double value) {
  if (!std::isfinite(value)) {
    const char* text = std::isnan(value) ? "\"nan\"" : value > 0 ? "\"inf\"" : "\"-inf\"";
    const size_t size = std::strlen(text);
    std::memcpy(at, text, size);
    return at + size;
  }
  if (std::signbit(value)) {
    *at++ = '-';
  }
  uint64_t digits;
  int exponent;
  repr_decimal(std::fabs(value), digits, exponent);
  const int count = static_cast<int>(decimal_length(digits));
  const int point = exponent + count - 1;  // the power of ten of the first digit
  const uint32_t high = static_cast<uint32_t>(digits / 100000000);
  const char lead = static_cast<char>('0' + high / 100000000);  // the 17th digit from the right
  const uint64_t middle = eight_digits(high % 100000000);
  const uint64_t low = eight_digits(static_cast<uint32_t>(digits % 100000000));
  const bool scientific = point < -4 || point >= 16;
  if (count >= 16 && (scientific || point < 0)) {
    if (scientific) {
      if (count == 17) {
        at[0] = lead;
        store_word(at + 2, middle);
        store_word(at + 10, low);
      } else {
        store_word(at + 1, middle);
        store_word(at + 9, low);
        at[0] = static_cast<char>(middle);
      }
      at[1] = '.';
      at += count + 1;
    } else {
      std::memcpy(at, "0.000000", 8);
      at += 1 - point;
      if (count == 17) {
        *at++ = lead;
      }
      store_word(at, middle);
      store_word(at + 8, low);
      return at + 16;
    }
  } else {
    char written[17 + 16];
    written[0] = lead;
    store_word(written + 1, middle);
    store_word(written + 9, low);
    const char* first = written + 17 - count;
    if (scientific) {
      at[0] = first[0];
      at[1] = '.';
      std::memcpy(at + 2, first + 1, 16);
      at += count > 1 ? count + 1 : 1;
    } else if (point < 0) {
      std::memcpy(at, "0.000", 5);
      at += 1 - point;
      std::memcpy(at, first, 17);
      return at + count;
    } else {
      std::memcpy(at, first, 16);
      if (count > point + 1) {
        at[point + 1] = '.';
        std::memcpy(at + point + 2, first + point + 1, 16);
        return at + count + 1;
      }
      std::memcpy(at + count, "0000000000000000", 16);
      at += point + 1;
      std::memcpy(at, ".0", 2);
      return at + 2;
    }
  }
  at[0] = 'e';
  at[1] = point < 0 ? '-' : '+';
  const int power = std::abs(point);
  if (power < 100) {
    std::memcpy(at + 2, &digit_pairs[2 * power], 2);
    return at + 4;
  }
  at[2] = static_cast<char>('0' + power / 100);
  std::memcpy(at + 3, &digit_pairs[2 * (power % 100)], 2);
  return at + 5;
}

/// Preview `index` of `previews` as a JSON array, each number as the Python recorder writes it; a
/// deferred one as its placeholder, numbered on from `first` (the copies held already, `held`).
void append_values(Buffer& out, const Previews& previews, size_t index, size_t first) {
  const Previews::Preview& p = previews[index];
  if (p.copy != SIZE_MAX) {
    out += '\0';
    out.number(first + p.copy);
    out += '\0';
    return;
  }
  out += '[';
  const int64_t* numbers = previews.numbers(p.at);
  if (p.floating) {
    char* at = out.space(p.count * (longest_float + 1) + float_overshoot);  // each with its comma
    for (size_t i = 0; i < p.count; ++i) {
      if (i) {
        *at++ = ',';
      }
      double value;
      std::memcpy(&value, &numbers[i], sizeof(value));
      at = write_float(at, value);
    }
    out.advance_to(at);
  } else {
    for (size_t i = 0; i < p.count; ++i) {
      if (i) {
        out += ',';
      }
      out.number(numbers[i]);
    }
  }
  out += ']';
}

/// The host copies of deferred previews that `take` and `end_backward` formatted as placeholders,
/// numbered by their place here, until the writer fills them in (`preview_texts`) or drops them.
std::vector<at::Tensor> held;

/// The previews of the held copies, landed, as JSON arrays in the text of a CPU tensor's preview:
/// what the writer puts in their placeholders (native/previews.py); forgets them. Needs no recording
/// running: the writer fills the last ones when it closes, after `stop`.
std::vector<std::string> preview_texts() {
  Previews previews;
  const PreviewRule every{std::numeric_limits<int64_t>::max(), 0};
  Buffer out;
  std::vector<std::string> texts;
  texts.reserve(held.size());
  for (const at::Tensor& copy : held) {
    const size_t index = previews.capture(copy, every);
    TORCH_CHECK(index != SIZE_MAX, "tapedeck_torch native core: a preview's copy of dtype ", copy.scalar_type(),
                " cannot be read");
    append_values(out, previews, index, 0);
    texts.push_back(out.take_string());
  }
  held.clear();
  return texts;
}

/// Forgets the held copies (a forked child's writer drops its lines).
void drop_previews() {
  held.clear();
}

/// Resolves the text of call sites met since the last take (Python's `site`, once per site).
void resolve_sites() {
  while (caches.site_text.size() < caches.sites.size()) {
    py::list frames;
    for (const auto& frame : caches.sites[caches.site_text.size()]) {
      frames.append(py::make_tuple(py::handle(reinterpret_cast<PyObject*>(frame.first)), frame.second));
    }
    caches.site_text.push_back(state->site_of(frames).cast<std::string>());
  }
}

std::vector<std::string> dtype_names() {
  std::vector<std::string> names;
  for (int i = 0; i < static_cast<int>(c10::ScalarType::NumOptions); ++i) {
    try {
      THPDtype* dtype = torch::getTHPDtype(static_cast<c10::ScalarType>(i));
      names.push_back(dtype != nullptr ? dtype->name : "unknown");
    } catch (const std::exception&) {
      names.push_back("unknown");
    }
  }
  return names;
}

/// Formats everything recorded since the last take as trace lines (each ending in a newline) into
/// `out`, deferred previews as placeholders numbered on from `first`, and clears the records.
void format_entries(Buffer& out, size_t first) {
  static const std::vector<std::string> dtypes = dtype_names();
  resolve_sites();
  for (const auto& entry : records.entries) {
    switch (entry.first) {
      case Entry::tensor: {
        const TensorRec& t = records.tensor_recs[entry.second];
        out += "{\"k\":\"tensor\",\"t\":";
        out.number(t.tid);
        out += ",\"vc\":";
        out.number(t.vc);
        out += ",\"st\":";
        out.number(t.st);
        out += ",\"shape\":";
        append_shape(out, t.shape_at, t.dims);
        out += ",\"dtype\":\"";
        out += dtypes[static_cast<size_t>(t.dtype)];
        out += "\",\"rg\":";
        out.boolean(t.rg);
        if (t.base >= 0) {
          out += ",\"base\":";
          out.number(t.base);
        }
        if (t.param) {
          out += ",\"param\":true";
        }
        if (t.preview != SIZE_MAX) {
          out += ",\"val\":";
          append_values(out, records.previews, t.preview, first);
        }
        out += "}\n";
        break;
      }
      case Entry::op: {
        const OpRec& op = records.op_recs[entry.second];
        const OpKind& kind = caches.kinds[op.kind];
        out += "{\"k\":\"op\",\"i\":";
        out.number(op.index);
        out += ",\"name\":";
        out += kind.name;
        out += ",";
        out += caches.site_text[op.site];
        out += ",\"grad\":";
        out.boolean(op.grad);
        out += ",\"in\":";
        append_pairs(out, op.ins_at, op.ins);
        out += ",\"out\":";
        append_pairs(out, op.outs_at, op.outs);
        if (kind.writes_self) {
          out += ",\"inplace\":true";
        }
        if (kind.is_view) {
          out += ",\"view\":true";
        }
        out += "}\n";
        for (size_t i = op.bumps_at; i < op.bumps_at + op.bumps; ++i) {
          const Bump& b = records.bumps[i];
          out += "{\"k\":\"bump\",\"vc\":";
          out.number(b.vc);
          out += ",\"t\":";
          out.number(b.tid);
          out += ",\"from\":";
          out.number(b.before);
          out += ",\"to\":";
          out.number(b.after);
          out += ",\"op\":";
          out.number(op.index);
          out += "}\n";
          if (b.preview != SIZE_MAX) {
            const Previews::Preview& p = records.previews[b.preview];
            out += "{\"k\":\"values\",\"t\":";
            out.number(b.tid);
            out += ",\"shape\":";
            append_ints(out, records.previews.numbers(p.shape_at), p.dims);
            out += ",\"val\":";
            append_values(out, records.previews, b.preview, first);
            out += "}\n";
          }
        }
        break;
      }
      case Entry::node: {
        const NodeRec& n = records.node_recs[entry.second];
        const NodeType& type = caches.node_types[caches.type_order[n.type]];
        out += "{\"k\":\"node\",\"n\":";
        out.number(n.nid);
        out += ",\"name\":";
        out += n.name != SIZE_MAX ? caches.slot_names[n.name] : type.name;
        out += ",\"seq\":";
        out.number(n.seq);
        if (n.op >= 0) {
          out += ",\"op\":";
          out.number(n.op);
        }
        out += ",\"next\":[";
        for (size_t i = 0; i < n.edges; ++i) {
          if (i) {
            out += ',';
          }
          const auto& edge = records.pairs[n.edges_at + i];
          if (edge.first < 0) {
            out += "null";
          } else {
            out += '[';
            out.number(edge.first);
            out += ',';
            out.number(edge.second);
            out += ']';
          }
        }
        out += ']';
        if (n.var >= 0) {
          out += ",\"var\":";
          out.number(n.var);
        }
        out += "}\n";
        for (size_t i = n.slots_at; i < n.slots_at + n.slots; ++i) {
          const SlotRec& s = records.slots[i];
          out += "{\"k\":\"save\",\"n\":";
          out.number(n.nid);
          out += ",\"slot\":";
          out += caches.slot_names[s.name];
          out += ",\"t\":";
          out.number(s.tid);
          out += ",\"v\":";
          out.number(s.version);
          out += ",\"out\":";
          out.boolean(s.is_output);
          out += ",\"nr\":";
          out.number(s.output_nr);
          out += ",\"shape\":";
          append_shape(out, s.shape_at, s.dims);
          out += "}\n";
        }
        break;
      }
      case Entry::gradfn: {
        const GradFnRec& g = records.gradfn_recs[entry.second];
        out += "{\"k\":\"gradfn\",\"t\":";
        out.number(g.tid);
        out += ",\"n\":";
        out.number(g.nid);
        out += ",\"nr\":";
        out.number(g.output_nr);
        out += ",\"rg\":";
        out.boolean(g.rg);
        out += ",\"v\":";
        out.number(g.version);
        out += "}\n";
        break;
      }
      case Entry::sync: {
        const SyncRec& r = records.sync_recs[entry.second];
        out += "{\"k\":\"sync\",\"vc\":";
        out.number(r.vc);
        out += ",\"t\":";
        out.number(r.tid);
        out += ",\"from\":";
        out.number(r.before);
        out += ",\"to\":";
        out.number(r.after);
        out += "}\n";
        break;
      }
      case Entry::text:
        out += records.texts[entry.second];
        out += "\n";
        break;
    }
  }
  records.clear_formatted();
}

}  // namespace

// ------------------------------------------------------------------ the Python interface

namespace {

Node* node_of(PyObject* grad_fn) {
  if (torch::autograd::THPCppFunction_Check(grad_fn)) {
    return reinterpret_cast<torch::autograd::THPCppFunction*>(grad_fn)->cdata.get();
  }
  return nullptr;
}

State& running() {
  TORCH_CHECK(state != nullptr && state->active, "tapedeck_torch native core: no recording is running");
  return *state;
}

}  // namespace

/// Starts recording the calling thread, in `program` (the path call sites are relative to).
/// `classify(name, overload)` gives an operator's (mode, written
/// argument indexes, name literal, inplace, view); `classify_code(code)` a code object's class (0
/// program, 1 library, 2 quiet: ops under it are not recorded, 3 a torch function the program
/// called, left out of frame names); `site(frames)` the call fields of a site from its (code, lasti)
/// frames, innermost first; `slot_names(grad_fn)` a node type's (name literal, [(slot literal, the
/// `_raw_saved_` object)]); `checkpoint_inputs()` the running checkpoint's [(tensor input, saved
/// version)], what a slot packed by saved-tensor hooks stands for; `values` the most elements a tensor
/// whose values are previewed may have (0: none); `deferred_devices` the device types (`"cuda"`)
/// whose previews are copied asynchronously (`Previews`); `raised(exception, site)` writes an exception a
/// recorded op raised, with the op's call fields (`"call":...,"line":...`), once it reaches Python;
/// `names(line, depth)` the `bind` lines of the variables of the program frame `depth` frames above
/// it, given the line of the statement that ran (NameBinder), called when the program moves to
/// another statement or frame where the core cannot read the frame itself (None: no `bind` events,
/// what recorder/benchmarks/names_cost.py measures against).
void start(const std::string& program, py::object classify, py::object classify_code, py::object site,
           py::object slot_names, py::object checkpoint_inputs, int64_t values, py::iterable deferred_devices,
           py::object raised, py::object names) {
  TORCH_CHECK(state == nullptr, "tapedeck_torch native core: a recording is already running");
  if (program != caches.program) {
    caches.forget_program();
    caches.program = program;
  }
  state = new State();
  state->thread = std::this_thread::get_id();
  state->classify = std::move(classify);
  state->classify_code = std::move(classify_code);
  state->site_of = std::move(site);
  state->slot_names_of = std::move(slot_names);
  state->checkpoint_inputs_of = std::move(checkpoint_inputs);
  state->preview_rule.limit = values;
  for (const auto& name : deferred_devices) {
    state->preview_rule.deferred |= uint64_t{1} << static_cast<unsigned>(c10::Device(name.cast<std::string>()).type());
  }
  state->raised_of = std::move(raised);
  state->names_of = std::move(names);
  state->js_name = py::module_::import("tapedeck_torch.schema").attr("js_name");
  state->parameter_type = py::module_::import("torch.nn").attr("Parameter").ptr();
  state->stack.reserve(64);
  state->active = true;
  ops_handle = at::addGlobalCallback(
      at::RecordFunctionCallback(on_start, on_end).needsInputs(true).needsOutputs(true).scopes({at::RecordScope::FUNCTION}));
  runs_handle = at::addGlobalCallback(
      at::RecordFunctionCallback(on_start, on_end).needsInputs(true).scopes({at::RecordScope::BACKWARD_FUNCTION}));
}

/// Stops recording and forgets everything recorded (take what is left first).
void stop() {
  if (state == nullptr) {
    return;
  }
  if (state->in_backward) {
    at::reenableCallback(ops_handle);
  }
  at::removeCallback(ops_handle);
  at::removeCallback(runs_handle);
  ops_handle = runs_handle = 0;
  state->active = false;
  unwatch_raised();
  records.clear_formatted();
  records.previews.clear();
  delete state;
  state = nullptr;
  for (auto trim : block_pools()) {
    trim();
  }
}

/// The trace lines recorded since the last take, formatted: UTF-8 bytes, each line ending in "\n",
/// which the writer hands to the file as they are (a memoryview of the core's buffer, valid until
/// the next `take` or `end_backward`); how many deferred previews' placeholders they hold (their
/// copies held, `held`) and the devices those come from.
py::tuple take() {
  State& s = running();
  ++s.passive;
  const size_t first = held.size();
  try {
    format_entries(formatted, first);
  } catch (...) {
    --s.passive;
    formatted.clear();
    records.previews.clear();
    throw;
  }
  --s.passive;
  py::set devices = records.previews.move_copies(held);
  records.previews.clear();
  return py::make_tuple(formatted.take(), held.size() - first, devices);
}

/// The id of `t` if it is a recorded tensor, else None: whom a variable that holds `t` names.
std::optional<int64_t> known_id(const at::Tensor& t) {
  running();
  return recorded_id(t.unsafeGetTensorImpl());
}

/// Looks at the program's variables as before an op (`observe_names`), from Python: before a
/// backward call, which no recorded op starts.
void observe() {
  running();
  const size_t site = capture_site();
  if (site != SIZE_MAX) {
    observe_names(site);
  }
}

/// The ids of the recorded tensors still alive: what a step window (window.py) keeps the
/// definitions of when it drops the steps that made them.
py::set live_ids() {
  State& s = running();
  py::set ids;
  for (const auto& entry : s.tensors) {
    if (!entry.second.ref.expired()) {
      ids.add(py::int_(entry.second.tid));
    }
  }
  return ids;
}

/// Each known version counter's version as the trace has it now (`{vc: version}`): a step window's
/// record of where the steps it drops left them.
py::dict versions() {
  State& s = running();
  py::dict out;
  for (const auto& entry : s.counters) {
    out[py::int_(entry.second.vc)] = py::int_(entry.second.model);
  }
  return out;
}

/// Pauses (`delta` 1) or resumes (-1) recording ops: the recorder's own work, backward, forked children.
void passive(int delta) {
  if (state != nullptr) {
    state->passive += delta;
  }
}

/// What the recording met and cannot record exactly ("" when nothing).
std::string refusal() {
  return state == nullptr ? std::string() : state->refusal;
}

/// The node id of a C++ grad_fn, recording it (and the nodes it reaches) when new; -1 for anything
/// else (a custom Function's node is refused).
int64_t node_id(py::object grad_fn) {
  State& s = running();
  Node* node = node_of(grad_fn.ptr());
  if (node == nullptr) {
    for (const auto& entry : s.nodes) {
      if (!is_python_node(entry.first)) {
        continue;
      }
      auto known = entry.second.ref.lock();
      if (known && py::reinterpret_steal<py::object>(torch::autograd::functionToPyObject(known)).ptr() == grad_fn.ptr()) {
        return entry.second.nid;
      }
    }
    refuse("custom autograd Functions applied before the recording started");
    return -1;
  }
  s.op_seq = UINT64_MAX;
  return note_node(node, -1, {});
}

/// The index the next recorded op gets: `custom_node`'s `first_op`, read before a custom Function runs.
int64_t next_op() {
  return running().next_op;
}

/// Records the node of a custom autograd Function when its `apply` returns, and its outputs' grad_fn
/// change: `outputs` are `(tensor, output_nr)` of the outputs whose grad_fn it is; `saves` what Python
/// read of its saved tensors, `(slot literal, tensor, saved version, is_output, output_nr)`; the node
/// belongs to the first op its forward ran (`first_op`, when it ran any), as in the Python recorder.
/// Returns the node id (-1 when the outputs hold no custom Function node).
int64_t custom_node(py::list outputs, py::list saves, int64_t first_op) {
  State& s = running();
  if (outputs.empty()) {
    return -1;
  }
  std::vector<at::Tensor> tensors;
  std::vector<int64_t> output_nrs;
  for (const auto& item : outputs) {
    py::tuple pair = item.cast<py::tuple>();
    tensors.push_back(pair[0].cast<at::Tensor>());
    output_nrs.push_back(pair[1].cast<int64_t>());
  }
  Node* node = torch::autograd::impl::grad_fn_unsafe(tensors[0]);
  if (node == nullptr || !is_python_node(node)) {
    return -1;
  }
  std::vector<CustomSave> custom;
  for (const auto& item : saves) {
    py::tuple save = item.cast<py::tuple>();
    custom.push_back({slot_name_index(save[0].cast<std::string>()), save[1].cast<at::Tensor>(),
                      save[2].cast<int64_t>(), save[4].cast<int64_t>(), save[3].cast<bool>()});
  }
  std::vector<Holder> holders;
  for (size_t i = 0; i < tensors.size(); ++i) {
    TensorEntry& entry = tensor_entry(tensors[i]);
    holders.push_back({node, output_nrs[i], entry.tid, &entry});
  }
  s.op_seq = node->sequence_nr();
  s.custom_adding = node;
  s.custom_saves = &custom;
  int64_t nid;
  try {
    nid = note_node(node, first_op < s.next_op ? first_op : -1, holders);
  } catch (...) {
    s.custom_adding = nullptr;
    s.custom_saves = nullptr;
    throw;
  }
  s.custom_adding = nullptr;
  s.custom_saves = nullptr;
  for (size_t i = 0; i < tensors.size(); ++i) {
    note_grad_fn(holders[i], nid, tensors[i]);
  }
  return nid;
}

/// The grad_fn object of node `nid` while it is alive, else None.
py::object node_object(int64_t nid) {
  State& s = running();
  for (const auto& entry : s.nodes) {
    if (entry.second.nid == nid) {
      auto node = entry.second.ref.lock();
      if (node) {
        return py::reinterpret_steal<py::object>(torch::autograd::functionToPyObject(node));
      }
    }
  }
  return py::none();
}

/// Starts noting the nodes the engine runs (each with its incoming gradients' shapes). Ops run by
/// backward are not recorded: their observer is switched off until `end_backward`, so they do not
/// even pay for having their inputs and outputs boxed.
void begin_backward() {
  State& s = running();
  std::lock_guard<std::mutex> lock(s.run_mutex);
  s.runs.clear();
  s.run_grads.clear();
  s.in_backward = true;
  at::disableCallback(ops_handle);
}

/// Stops noting node runs; returns the `run` events of backward call `backward` (with a `release` of
/// each node before the next one runs, and after the last one when the call `succeeded`, unless the
/// graph is retained) as trace lines (UTF-8 bytes, as `take` gives them), the last node that ran
/// (-1 when none), and the deferred previews of the incoming gradients, as `take` counts them.
py::tuple end_backward(int64_t backward, bool retain, bool succeeded) {
  State& s = running();
  std::lock_guard<std::mutex> lock(s.run_mutex);
  s.in_backward = false;
  at::reenableCallback(ops_handle);
  Buffer& out = formatted;
  const size_t first = held.size();
  int64_t last = -1;
  auto release = [&](int64_t nid) {
    out += "{\"k\":\"release\",\"n\":";
    out.number(nid);
    out += "}\n";
  };
  for (const RunRec& run : s.runs) {
    if (last >= 0 && !retain) {
      release(last);
    }
    last = run.nid;
    out += "{\"k\":\"run\",\"b\":";
    out.number(backward);
    out += ",\"n\":";
    out.number(run.nid);
    out += ",\"grads\":[";
    size_t at = run.grads_at;
    for (size_t i = 0; i < run.grads; ++i) {
      if (i) {
        out += ',';
      }
      const int64_t dims = s.run_grads[at++];
      if (dims < 0) {
        out += "null";
        continue;
      }
      out += "{\"shape\":";
      append_ints(out, s.run_grads.data() + at, static_cast<size_t>(dims));
      at += static_cast<size_t>(dims);
      const int64_t preview = s.run_grads[at++];
      if (preview >= 0) {
        out += ",\"val\":";
        append_values(out, s.run_previews, static_cast<size_t>(preview), first);
      }
      out += '}';
    }
    out += "]}\n";
  }
  if (succeeded && last >= 0 && !retain) {
    release(last);
  }
  s.runs.clear();
  s.run_grads.clear();
  py::set devices = s.run_previews.move_copies(held);
  s.run_previews.clear();
  return py::make_tuple(out.take(), last, held.size() - first, devices);
}

PYBIND11_MODULE(TORCH_EXTENSION_NAME, m) {
  m.doc() = "tapedeck_torch --native: the C++ recorder core (native/core.cpp)";
  m.def("start", &start);
  m.def("stop", &stop);
  m.def("take", &take);
  m.def("preview_texts", &preview_texts);
  m.def("drop_previews", &drop_previews);
  m.def("live_ids", &live_ids);
  m.def("known_id", &known_id);
  m.def("observe", &observe);
  m.def("versions", &versions);
  m.def("passive", &passive);
  m.def("refusal", &refusal);
  m.def("node_id", &node_id);
  m.def("next_op", &next_op);
  m.def("custom_node", &custom_node);
  m.def("node_object", &node_object);
  m.def("begin_backward", &begin_backward);
  m.def("end_backward", &end_backward);
}
