// TDX TCB status from verified collateral (the semantics of Intel's Quote Verification Library).
//
// Owns: matching the quote's TEE_TCB_SVN and the PCK certificate's SGX TCB against the TCB Info
// levels, the TDX module identity, the TD QE identity, and folding the three statuses (worst
// wins). Pure logic over already verified JSON. Callers: the tdx-dcap verifier.
#pragma once

#include <stdexcept>
#include <string>

#include "pck_extension.hpp"
#include "quote.hpp"
#include "vep/json.hpp"

namespace vep::tdx_dcap {

// Thrown when the collateral does not describe this platform (no matching level, wrong FMSPC,
// module or QE identity mismatch): the quote cannot be given any TCB status.
class TcbEvaluationError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Returns the folded TCB status, e.g. "UpToDate" or "OutOfDate".
std::string evaluate_tcb_status(const Quote &quote, const PckExtension &pck, const json::Value &tcb_info,
                                const json::Value &qe_identity);

}  // namespace vep::tdx_dcap
