// hello-filter: the smallest useful chain stage. Adds an `X-Hello: <greeting>` response header to
// every chat answer and refuses requests that carry a configured forbidden header. Config:
//   [plugin_config.hello-filter]
//   greeting = "hi"            # default "hello"
//   forbidden_header = "X-No"  # optional
#include <vep/plugin.hpp>

namespace {

struct HelloConfig {
    std::string greeting = "hello";
    std::string forbidden_header;
};

class HelloStream final : public vep::FilterStream {
  public:
    explicit HelloStream(const HelloConfig &config) : config_(config) {}
    vep::FilterStatus on_request(vep::StreamCallbacks &cb) override {
        if (!config_.forbidden_header.empty() && cb.request_header(config_.forbidden_header)) {
            cb.send_local_reply(403, "invalid_request_error", "forbidden_header",
                                "requests with " + config_.forbidden_header + " are refused");
            return vep::FilterStatus::LocalReply;
        }
        cb.set_response_header("X-Hello", config_.greeting);
        return vep::FilterStatus::Continue;
    }

  private:
    const HelloConfig &config_;
};

class HelloFilter final : public vep::Filter {
  public:
    explicit HelloFilter(const vep::json::Value &config) {
        for (const auto &member : config.as_object()) {
            if (member.first == "greeting" && member.second.is_string()) config_.greeting = member.second.as_string();
            else if (member.first == "forbidden_header" && member.second.is_string())
                config_.forbidden_header = member.second.as_string();
            else throw vep::Failure("invalid_config", "hello-filter: unknown or ill-typed key " + member.first);
        }
    }
    std::unique_ptr<vep::FilterStream> create_stream() override { return std::make_unique<HelloStream>(config_); }

  private:
    HelloConfig config_;
};

}  // namespace

VEP_PLUGIN(HelloFilter, "hello-filter", "1.0.0", "adds an X-Hello header; refuses a forbidden header")
