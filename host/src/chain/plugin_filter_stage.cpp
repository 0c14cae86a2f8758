// See plugin_filter_stage.hpp.
#include "chain/plugin_filter_stage.hpp"

#include "chain/exchange.hpp"
#include "errors/proxy_error.hpp"

namespace vep::host {
namespace {

std::string_view view_of(vep_str s) { return {s.data ? s.data : "", s.len}; }

// The callbacks a plugin stream gets for one call; `event` is set on the response side.
class Callbacks {
  public:
    Callbacks(Exchange &exchange, ResponseEvent *event) : exchange_(exchange), event_(event) {
        cb_.struct_size = sizeof(vep_stream_callbacks);
        cb_.ctx = this;
        cb_.request_header = [](void *ctx, vep_str name, vep_sink *out) {
            auto *self = static_cast<Callbacks *>(ctx);
            const std::string key(view_of(name));
            if (!self->exchange_.request_headers.has(key)) return VEP_FAIL;
            const std::string &value = self->exchange_.request_headers.get(key);
            out->append(out->ctx, value.data(), value.size());
            return VEP_OK;
        };
        cb_.request_path = [](void *ctx) { return vep::str(static_cast<Callbacks *>(ctx)->exchange_.path); };
        cb_.request_body = [](void *ctx) { return vep::str(static_cast<Callbacks *>(ctx)->exchange_.body); };
        cb_.set_response_header = [](void *ctx, vep_str name, vep_str value) {
            static_cast<Callbacks *>(ctx)->exchange_.set_response_header(std::string(view_of(name)),
                                                                         std::string(view_of(value)));
        };
        cb_.replace_event_data = [](void *ctx, vep_str data) {
            auto *self = static_cast<Callbacks *>(ctx);
            if (self->event_) self->event_->data.assign(data.data ? data.data : "", data.len);
        };
        cb_.send_local_reply = [](void *ctx, uint32_t status, vep_str type, vep_str code, vep_str message) {
            static_cast<Callbacks *>(ctx)->exchange_.reply =
                ProxyError(static_cast<int>(status), std::string(view_of(type)), std::string(view_of(code)),
                           std::string(view_of(message)));
        };
    }
    vep_stream_callbacks *get() { return &cb_; }

  private:
    Exchange &exchange_;
    ResponseEvent *event_;
    vep_stream_callbacks cb_{};
};

StageStatus to_stage(vep::FilterStatus s) { return static_cast<StageStatus>(static_cast<int>(s)); }

class PluginFilterStage final : public Stage {
  public:
    explicit PluginFilterStage(std::unique_ptr<vep::client::FilterClient::Stream> stream) : stream_(std::move(stream)) {}

    StageStatus on_request(Exchange &exchange) override {
        Callbacks cb(exchange, nullptr);
        return checked(exchange, to_stage(stream_->on_request(cb.get())));
    }
    StageStatus on_response_event(Exchange &exchange, ResponseEvent &event) override {
        Callbacks cb(exchange, &event);
        return checked(exchange, to_stage(stream_->on_response_event(event.data, cb.get())));
    }
    void on_attempt(Exchange &exchange, AttemptRequest &attempt) override {
        Callbacks cb(exchange, nullptr);
        stream_->on_upstream_attempt(attempt.number, cb.get());
    }
    void on_complete(Exchange &, bool succeeded) override { stream_->on_stream_complete(succeeded); }

  private:
    static StageStatus checked(Exchange &exchange, StageStatus s) {
        if (s == StageStatus::LocalReply && !exchange.reply)
            exchange.reply = ProxyError::of("internal_error", "a filter plugin asked for a local reply without one");
        return s;
    }
    std::unique_ptr<vep::client::FilterClient::Stream> stream_;
};

class PluginFilterFactory final : public StageFactory {
  public:
    explicit PluginFilterFactory(std::shared_ptr<const vep::client::FilterClient> filter) : filter_(std::move(filter)) {}
    std::unique_ptr<Stage> create() const override { return std::make_unique<PluginFilterStage>(filter_->create_stream()); }

  private:
    std::shared_ptr<const vep::client::FilterClient> filter_;
};

}  // namespace

std::shared_ptr<StageFactory> make_plugin_filter_stage(std::shared_ptr<const vep::client::FilterClient> filter) {
    return std::make_shared<PluginFilterFactory>(std::move(filter));
}

}  // namespace vep::host
