#include "request_log.hpp"

#include <chrono>

namespace vep::sim {

int64_t unix_millis() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::shared_ptr<RequestRecord> RequestLog::add(RequestRecord record) {
    auto handle = std::make_shared<RequestRecord>(std::move(record));
    std::lock_guard<std::mutex> lock(mu_);
    handle->id = next_id_++;
    records_.push_back(handle);
    while (records_.size() > capacity_) records_.pop_front();
    return handle;
}

void RequestLog::update(const std::shared_ptr<RequestRecord> &record,
                        const std::function<void(RequestRecord &)> &change) {
    std::lock_guard<std::mutex> lock(mu_);
    change(*record);
}

std::vector<RequestRecord> RequestLog::snapshot() const {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<RequestRecord> out;
    out.reserve(records_.size());
    for (const auto &r : records_) out.push_back(*r);
    return out;
}

void RequestLog::clear() {
    std::lock_guard<std::mutex> lock(mu_);
    records_.clear();
}

json::Value to_json(const RequestRecord &r) {
    auto optional_bool = [](const std::optional<bool> &b) { return b ? json::Value(*b) : json::Value(nullptr); };
    json::Value roles = json::Value::array();
    for (const auto &role : r.message_roles) roles.push_back(role);
    json::Value headers = json::Value::object();
    headers.set("client_pub_key", r.has_client_pub_key_header);
    headers.set("model_pub_key", r.has_model_pub_key_header);
    headers.set("signing_algo", r.has_signing_algo_header);

    json::Value v = json::Value::object();
    v.set("id", r.id);
    v.set("method", r.method);
    v.set("path", r.path);
    v.set("model", r.model);
    v.set("status", r.status);
    v.set("authorized", r.authorized);
    v.set("headers", std::move(headers));
    v.set("model_pub_key_matches", r.model_pub_key_matches);
    v.set("stream", optional_bool(r.stream));
    v.set("enable_e2ee", optional_bool(r.enable_e2ee));
    v.set("message_roles", std::move(roles));
    v.set("all_contents_ciphertext", r.all_contents_ciphertext);
    v.set("plaintext_leak_detected", r.plaintext_leak_detected);
    v.set("contains_tools_key", r.contains_tools_key);
    v.set("tee_only", r.tee_only);
    v.set("native_tool_call", r.native_tool_call);
    v.set("system_has_available_tools", r.system_has_available_tools);
    v.set("correction_prompt_present", r.correction_prompt_present);
    v.set("scenario", r.scenario);
    v.set("fault", r.fault);
    v.set("chunks_sent", r.chunks_sent);
    v.set("completed", r.completed);
    v.set("client_disconnected", r.client_disconnected);
    v.set("started_at_ms", r.started_at_ms);
    v.set("disconnect_noticed_at_ms",
          r.disconnect_noticed_at_ms ? json::Value(*r.disconnect_noticed_at_ms) : json::Value(nullptr));
    v.set("finished_at_ms", r.finished_at_ms);
    v.set("error", r.error);
    if (!r.decrypted_contents.empty()) {
        json::Value texts = json::Value::array();
        for (const auto &t : r.decrypted_contents) texts.push_back(t);
        v.set("decrypted_contents", std::move(texts));
    }
    return v;
}

}  // namespace vep::sim
