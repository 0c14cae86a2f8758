// The model-output corpus: tests/data/tools/corpus/cases.jsonl (see the README there).
//
// Owns: reading the corpus cases and the tool sets they name, and saying what the proxy makes of
// one case's output on the first attempt (parsed, repaired, sent to correction, or passed on as
// text), through the real plugin and the host's classify(). Used by corpus_test.cpp (every case
// through parse, classify and the stream detector) and recovery_test.cpp (no-fabrication
// mutations, the recovery table in docs/benchmarks.md).
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "openai/chat_request.hpp"
#include "vep/json.hpp"

namespace vep::host::tools::testing {

struct ModelCase {
    std::string id;
    std::string format;      // the tool_format plugin: "hermes", "qwen-xml", "glm-xml"
    std::string family;      // the model family that wrote it
    std::string source;      // where the output was published
    std::string provenance;  // "as-printed", "reconstructed" or "own-variant"
    std::string tools_json;  // the tool set's OpenAI tools array
    std::string tool_choice; // "auto" or "required"
    std::string output;
    std::string outcome;     // expected: "parsed", "repaired", "correction" or "text"
    json::Value calls;       // expected calls [{"name","arguments"}] for parsed and repaired
    std::vector<std::string> rules;  // repaired: the repair rule names of each call
    std::string error;       // correction: a substring of the validation error
};

// gtest prints a case as its id.
void PrintTo(const ModelCase &c, std::ostream *os);

// Every case, in file order. Throws std::runtime_error on a malformed corpus.
std::vector<ModelCase> load_model_corpus();

// "parsed", "repaired", "correction" or "text": what classify() and the plugin's parse() make
// of `output` under `tools_json` and `tool_choice` on a first attempt.
std::string first_attempt_outcome(const std::string &format, const std::string &output, const std::string &tools_json,
                                  const std::string &tool_choice);

}  // namespace vep::host::tools::testing
