// The error catalog: code -> (type, HTTP status), as the reference proxy defines them plus
// this project's additions (server_overloaded, request_too_large, ...).
#include <array>

#include "errors/proxy_error.hpp"

namespace vep::host {
namespace {

struct Entry {
    std::string_view code;
    std::string_view type;
    int status;
};

constexpr std::string_view kInvalid = "invalid_request_error";
constexpr std::string_view kUpstream = "proxy_upstream_error";
constexpr std::string_view kAttest = "proxy_attestation_error";

constexpr std::array kCatalog = {
    Entry{"invalid_request", kInvalid, 400},
    Entry{"unsupported_request_field", kInvalid, 400},
    Entry{"unsupported_message_role", kInvalid, 400},
    Entry{"unsupported_message_content", kInvalid, 400},
    Entry{"invalid_tool_call_history", kInvalid, 400},
    Entry{"unsupported_venice_parameter", kInvalid, 400},
    Entry{"session_identifier_missing", kInvalid, 400},
    Entry{"invalid_session_header", kInvalid, 400},
    Entry{"invalid_session_id", kInvalid, 400},
    Entry{"invalid_json", kInvalid, 400},
    Entry{"unsupported_media_type", kInvalid, 415},
    Entry{"request_too_large", kInvalid, 413},
    Entry{"request_timeout", kInvalid, 408},
    Entry{"missing_api_key", kInvalid, 401},
    Entry{"invalid_api_key", kInvalid, 401},
    Entry{"model_not_allowed", kInvalid, 403},
    Entry{"origin_not_allowed", kInvalid, 403},
    Entry{"host_not_allowed", kInvalid, 403},
    Entry{"rate_limit_exceeded", "rate_limit_error", 429},
    Entry{"too_many_streams", "rate_limit_error", 429},
    Entry{"token_budget_exceeded", "rate_limit_error", 429},
    Entry{"not_found", kInvalid, 404},
    Entry{"method_not_allowed", kInvalid, 405},
    Entry{"session_error", "proxy_session_error", 500},
    Entry{"proxy_instance_key_unavailable", "proxy_configuration_error", 500},
    Entry{"attestation_failed", kAttest, 500},
    Entry{"internal_error", "proxy_internal_error", 500},
    Entry{"config_reload_failed", "proxy_configuration_error", 500},
    Entry{"server_overloaded", "proxy_overloaded_error", 503},
    Entry{"server_draining", "proxy_overloaded_error", 503},
    Entry{"venice_api_key_missing", "proxy_configuration_error", 502},
    Entry{"venice_client_configuration_failed", "proxy_configuration_error", 502},
    Entry{"upstream_authentication_failed", "proxy_upstream_authentication_error", 502},
    Entry{"upstream_status_error", kUpstream, 502},
    Entry{"upstream_key_rejected", kUpstream, 502},
    Entry{"upstream_timeout", kUpstream, 502},
    Entry{"upstream_unavailable", kUpstream, 502},
    Entry{"upstream_malformed_response", kUpstream, 502},
    Entry{"upstream_stream_error", kUpstream, 502},
    Entry{"upstream_response_too_large", kUpstream, 502},
    Entry{"response_withheld", "proxy_filter_error", 502},
    Entry{"tool_call_validation_failed", kUpstream, 502},
    Entry{"e2ee_response_decryption_failed", "proxy_e2ee_error", 502},
    Entry{"e2ee_request_encryption_failed", "proxy_e2ee_error", 502},
    Entry{"invalid_tool_call", "proxy_tool_call_error", 502},
    Entry{"invalid_structured_output", "proxy_structured_output_error", 502},
    Entry{"invalid_attestation_request", kInvalid, 502},
    Entry{"attestation_fetch_failed", kAttest, 502},
    Entry{"attestation_malformed_response", kAttest, 502},
    Entry{"attestation_missing_required_field", kAttest, 502},
    Entry{"attestation_upstream_not_verified", kAttest, 502},
    Entry{"attestation_nonce_mismatch", kAttest, 502},
    Entry{"attestation_model_mismatch", kAttest, 502},
    Entry{"attestation_invalid_signing_key", kAttest, 502},
    Entry{"attestation_signing_address_mismatch", kAttest, 502},
    Entry{"attestation_debug_mode_detected", kAttest, 502},
    Entry{"attestation_missing_tdx_evidence", kAttest, 502},
    Entry{"attestation_invalid_tdx_evidence", kAttest, 502},
    Entry{"attestation_missing_nvidia_evidence", kAttest, 502},
    Entry{"attestation_invalid_nvidia_evidence", kAttest, 502},
    Entry{"attestation_verifier_unavailable", "proxy_attestation_verifier_unavailable", 503},
    Entry{"receipt_verification_failed", "proxy_receipt_error", 502},
    Entry{"receipt_requires_buffered_answer", kInvalid, 400},
};

}  // namespace

bool lookup_error_code(std::string_view code, int &status, std::string &type) {
    for (const auto &e : kCatalog) {
        if (e.code == code) {
            status = e.status;
            type = std::string(e.type);
            return true;
        }
    }
    return false;
}

ProxyError ProxyError::of(std::string_view code, const std::string &message) {
    int status = 502;
    std::string type;
    if (!lookup_error_code(code, status, type)) {
        // Attestation plugins may define their own attestation_* codes.
        type = code.rfind("attestation_", 0) == 0 ? std::string(kAttest) : std::string(kUpstream);
        status = 502;
    }
    return ProxyError(status, std::move(type), std::string(code), message);
}

std::string ProxyError::to_json() const {
    json::Value inner = json::Value::object();
    inner.set("message", std::string(what()));
    inner.set("type", type_);
    inner.set("code", code_);
    if (details_) inner.set("details", *details_);
    json::Value outer = json::Value::object();
    outer.set("error", std::move(inner));
    // With details the reference builds the body dynamically (serde_json without
    // preserve_order): sorted keys. Without, its typed struct order.
    return details_ ? json::dump_sorted(outer) : json::dump(outer);
}

}  // namespace vep::host
