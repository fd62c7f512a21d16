// The private members of autograd's SavedVariable and of compiled autograd's TensorArgs that
// tapedeck reads to list a node's saved slots without code per node type: shared by the native
// core (core.cpp) and the benchmark that first checked the approach against every node type
// (recorder/benchmarks/saved_slots_probe.cpp). A member that a torch release renames or retypes
// fails the build instead of being misread.
#pragma once

#include <torch/csrc/autograd/saved_variable.h>
#include <torch/csrc/dynamo/compiled_autograd.h>

#include <cstdint>
#include <unordered_map>

namespace {

using torch::autograd::Node;
using torch::autograd::SavedVariable;
using torch::dynamo::autograd::AutogradCompilerCall;
using torch::dynamo::autograd::CompiledNodeArgs;
using torch::dynamo::autograd::NodeCall;
using torch::dynamo::autograd::SizeInput;
using torch::dynamo::autograd::TensorArg;
using torch::dynamo::autograd::TensorArgs;

/// Reads a private member through a pointer to member formed in an explicit instantiation, where
/// access is not checked ([temp.spec]/6): the layout comes from the installed headers.
template <typename Tag, typename Tag::type Member>
struct Robber {
  friend typename Tag::type get(Tag) { return Member; }
};

#define PRIVATE_MEMBER(TAG, CLASS, TYPE, MEMBER) \
  struct TAG {                                   \
    using type = TYPE CLASS::*;                  \
    friend type get(TAG);                        \
  };                                             \
  template struct Robber<TAG, &CLASS::MEMBER>

using SavedMapType = std::unordered_map<const SavedVariable*, TensorArg*>;
PRIVATE_MEMBER(SavedMapTag, TensorArgs, SavedMapType, _saved_variables);
PRIVATE_MEMBER(DataTag, SavedVariable, at::Tensor, data_);
PRIVATE_MEMBER(VersionTag, SavedVariable, uint32_t, saved_version_);
PRIVATE_MEMBER(OutputNrTag, SavedVariable, uint32_t, output_nr_);
PRIVATE_MEMBER(IsOutputTag, SavedVariable, bool, is_output_);
PRIVATE_MEMBER(IsLeafTag, SavedVariable, bool, is_leaf_);

}  // namespace
