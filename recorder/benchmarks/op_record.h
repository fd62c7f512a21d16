// The per-op record both C++ observer prototypes keep (record_function_floor.cpp and
// saved_slots_probe.cpp): the op's name, sequence number, each tensor input's TensorImpl with its
// version, and its outputs. Included through load_inline's extra_include_paths.
#pragma once

#include <ATen/record_function.h>
#include <torch/extension.h>

#include <utility>
#include <vector>

struct OpRecord {
  const char* name;
  int64_t sequence_nr;
  std::vector<std::pair<const void*, uint32_t>> inputs;
  std::vector<const void*> outputs;
};

/// A tensor's version counter (0 where it has none: inference tensors).
inline uint32_t version_of(const at::Tensor& t) {
  auto* impl = t.unsafeGetTensorImpl();
  if (impl->is_inference() || !impl->version_counter().enabled()) {
    return 0;
  }
  return impl->version_counter().current_version();
}

/// The record of `fn` as it starts: name, sequence number, tensor inputs with their versions.
inline OpRecord record_of(const at::RecordFunction& fn) {
  OpRecord record{fn.name(), fn.seqNr(), {}, {}};
  for (const auto& value : fn.inputs()) {
    if (value.isTensor()) {
      const auto& t = value.toTensor();
      if (t.defined()) {
        record.inputs.emplace_back(t.unsafeGetTensorImpl(), version_of(t));
      }
    } else if (value.isTensorList()) {
      for (const at::Tensor& t : value.toTensorList()) {
        record.inputs.emplace_back(t.unsafeGetTensorImpl(), version_of(t));
      }
    }
  }
  return record;
}
