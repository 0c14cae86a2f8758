// vep SDK test fakes — unit-test a plugin without the proxy.
//
// Owns: FakeHost (a vep_host_api that records log lines and has a settable clock) and
// FakeStreamCallbacks (an in-memory request + recorded response for filter plugins). A plugin's
// unit test links the plugin's sources, calls its entry point through FakeHost::load(), and drives
// it through the same vep::client handles the host uses:
//
//   vep::testing::FakeHost host;
//   auto cipher = vep::client::CipherClient::create(host.load(&vep_plugin_entry), "{}", nullptr);
#pragma once

#include <cctype>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "vep/abi.h"
#include "vep/client.hpp"
#include "vep/sdk.hpp"

namespace vep::testing {

class FakeHost {
  public:
    struct LogLine {
        vep_log_level level;
        std::string plugin;
        std::string message;
    };

    FakeHost() {
        api_.struct_size = sizeof(vep_host_api);
        api_.abi_major = VEP_ABI_MAJOR;
        api_.abi_minor = VEP_ABI_MINOR;
        api_.host_ctx = this;
        api_.log = [](void *ctx, vep_log_level level, vep_str plugin, vep_str message) {
            auto *self = static_cast<FakeHost *>(ctx);
            std::lock_guard<std::mutex> lock(self->mu_);
            self->logs_.push_back({level, std::string(view(plugin)), std::string(view(message))});
        };
        api_.now_unix = [](void *ctx) { return static_cast<FakeHost *>(ctx)->now_; };
    }

    const vep_host_api *api() const { return &api_; }
    // The version this fake host claims, to test a plugin's refusal of other hosts.
    void set_abi(uint32_t major, uint32_t minor) {
        api_.abi_major = major;
        api_.abi_minor = minor;
    }
    void set_now(int64_t unix_seconds) { now_ = unix_seconds; }

    // Calls a plugin's entry point; throws std::runtime_error with the plugin's reason on refusal.
    const vep_plugin_descriptor *load(vep_plugin_entry_fn entry) const {
        char err[512] = {0};
        const vep_plugin_descriptor *d = entry(&api_, err, sizeof err);
        if (!d) throw std::runtime_error(std::string("plugin refused to load: ") + err);
        return d;
    }

    std::vector<LogLine> logs() const {
        std::lock_guard<std::mutex> lock(mu_);
        return logs_;
    }

  private:
    vep_host_api api_{};
    int64_t now_ = 1700000000;
    mutable std::mutex mu_;
    std::vector<LogLine> logs_;
};

// An in-memory stream for filter plugins: set the request, run the filter, read what it did.
class FakeStreamCallbacks {
  public:
    struct LocalReply {
        uint32_t status = 0;
        std::string type, code, message;
    };

    std::map<std::string, std::string> request_headers;  // lower-case names
    std::string path = "/v1/chat/completions";
    std::string body;
    std::map<std::string, std::string> response_headers;
    std::vector<std::string> replaced_events;
    std::optional<LocalReply> local_reply;

    FakeStreamCallbacks() {
        cb_.struct_size = sizeof(vep_stream_callbacks);
        cb_.ctx = this;
        cb_.request_header = [](void *ctx, vep_str name, vep_sink *out) {
            auto *self = static_cast<FakeStreamCallbacks *>(ctx);
            std::string key(view(name));
            for (auto &c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            auto it = self->request_headers.find(key);
            if (it == self->request_headers.end()) return VEP_FAIL;
            out->append(out->ctx, it->second.data(), it->second.size());
            return VEP_OK;
        };
        cb_.request_path = [](void *ctx) { return str(static_cast<FakeStreamCallbacks *>(ctx)->path); };
        cb_.request_body = [](void *ctx) { return str(static_cast<FakeStreamCallbacks *>(ctx)->body); };
        cb_.set_response_header = [](void *ctx, vep_str name, vep_str value) {
            static_cast<FakeStreamCallbacks *>(ctx)->response_headers[std::string(view(name))] = std::string(view(value));
        };
        cb_.replace_event_data = [](void *ctx, vep_str data) {
            static_cast<FakeStreamCallbacks *>(ctx)->replaced_events.emplace_back(view(data));
        };
        cb_.send_local_reply = [](void *ctx, uint32_t status, vep_str type, vep_str code, vep_str message) {
            static_cast<FakeStreamCallbacks *>(ctx)->local_reply =
                LocalReply{status, std::string(view(type)), std::string(view(code)), std::string(view(message))};
        };
    }
    FakeStreamCallbacks(const FakeStreamCallbacks &) = delete;
    FakeStreamCallbacks &operator=(const FakeStreamCallbacks &) = delete;

    vep_stream_callbacks *get() { return &cb_; }

  private:
    vep_stream_callbacks cb_{};
};

}  // namespace vep::testing
