// See generation.hpp.
#include "runtime/generation.hpp"

#include <algorithm>
#include <filesystem>
#include <random>
#include <set>

#include "chain/plugin_filter_stage.hpp"
#include "errors/proxy_error.hpp"
#include "ids/random_uuid.hpp"
#include "log/log.hpp"
#include "openai/model_list.hpp"

namespace vep::host {
namespace {

const char *require_nvidia_name(RequireNvidia r) {
    switch (r) {
    case RequireNvidia::Required: return "required";
    case RequireNvidia::WhenPresent: return "when_present";
    case RequireNvidia::Never: return "never";
    }
    return "never";
}

json::Value attestation_policy(const AttestationConfig &a) {
    json::Value v = json::Value::object();
    v.set("require_tdx", a.require_tdx);
    v.set("require_nvidia", require_nvidia_name(a.require_nvidia));
    v.set("allow_debug", a.allow_debug);
    v.set("pccs_url", a.pccs_url);
    return v;
}

// Runs `fn`, turning plugin and configuration failures into GenerationError with context.
template <typename Fn>
auto with_context(const std::string &what, Fn &&fn) -> decltype(fn()) {
    try {
        return fn();
    } catch (const vep::Failure &f) {
        throw GenerationError(what + ": " + f.what() + " [" + f.code() + "]");
    } catch (const PluginLoadError &e) {
        throw GenerationError(e.what());
    } catch (const ProxyError &e) {
        throw GenerationError(what + ": " + e.what() + " [" + e.code() + "]");
    } catch (const std::runtime_error &e) {
        throw GenerationError(what + ": " + e.what());
    }
}

// A file named by the config: relative paths are relative to the config file's directory.
std::string in_config_directory(const Config &config, const std::string &file) {
    const std::filesystem::path path(file);
    return path.is_absolute() ? path.string() : (std::filesystem::path(config.directory) / path).string();
}

}  // namespace

std::string Generation::model_list() const {
    return models_cache_->get([this] { return add_model_aliases(map_models_response(venice_->get_models()), config_.aliases); });
}

std::string plugin_config_json(const Config &config, const std::string &name, const json::Value &overrides) {
    json::Value merged = json::Value::object();
    if (auto it = config.plugin_config.find(name); it != config.plugin_config.end()) merged = json::parse(it->second);
    for (const auto &m : overrides.as_object()) merged.set(m.first, m.second);
    return json::dump(merged);
}

std::shared_ptr<const Generation> Generation::build(Config config, const PluginLoader &loader,
                                                    std::shared_ptr<ConcurrencyGate> gate, GenerationPurpose purpose,
                                                    ProxyStats *stats) {
    std::shared_ptr<Generation> g(new Generation());
    g->config_ = std::move(config);
    const Config &c = g->config_;

    g->plugins_ = with_context("plugins", [&] { return load_plugin_set(c, loader); });

    const auto cipher_plugin = with_context("e2ee.backend", [&] {
        return g->plugins_.require(VEP_KIND_CIPHER, c.e2ee.backend, "e2ee.backend");
    });
    json::Value cipher_overrides = json::Value::object();
    cipher_overrides.set("hkdf_info", c.e2ee.hkdf_info);
    g->cipher_ = with_context("cipher plugin " + c.e2ee.backend, [&] {
        return vep::client::CipherClient::create(cipher_plugin->descriptor,
                                                 plugin_config_json(c, c.e2ee.backend, cipher_overrides), cipher_plugin);
    });
    if (c.keys.generate_proxy_instance_key_on_startup)
        g->instance_key_ = with_context("proxy instance key", [&] { return g->cipher_->generate(); });

    if (c.tools.enabled && c.tools.mode == "emulated") {
        std::set<std::string> formats{c.tools.default_format};
        for (const auto &rule : c.tools.formats) formats.insert(rule.format);
        for (const auto &name : formats) {
            const auto plugin = with_context("tools.formats", [&] {
                return g->plugins_.require(VEP_KIND_TOOL_FORMAT, name, "tools.formats");
            });
            g->tool_formats_[name] = with_context("tool format plugin " + name, [&] {
                return std::make_shared<const vep::client::ToolFormatClient>(
                    plugin->descriptor, plugin_config_json(c, name, json::Value::object()), plugin);
            });
        }
    }

    const json::Value policy = attestation_policy(c.attestation);
    std::vector<Verifier> verifiers;
    for (const auto &name : c.attestation.verifiers) {
        const auto plugin = with_context("attestation.verifiers", [&] {
            return g->plugins_.require(VEP_KIND_ATTESTATION, name, "attestation.verifiers");
        });
        verifiers.push_back({name, with_context("attestation plugin " + name, [&] {
                                 return std::make_shared<const vep::client::AttestationClient>(
                                     plugin->descriptor, plugin_config_json(c, name, policy), plugin);
                             })});
    }
    if (verifiers.empty()) throw GenerationError("attestation.verifiers: at least one verifier is required");
    const bool require_tdx_unverifiable =
        c.attestation.require_tdx &&
        std::none_of(verifiers.begin(), verifiers.end(), [](const Verifier &v) { return v.name == "tdx-dcap"; });

    if (purpose == GenerationPurpose::Serve)
        g->venice_ = with_context("venice", [&] {
            return std::make_unique<VeniceClient>(c.venice, stats ? &stats->upstream : nullptr);
        });
    g->audit_log_ = with_context("logging.audit_log", [&] { return std::make_unique<AuditLog>(c.logging.audit_log); });
    g->attestation_ =
        std::make_unique<AttestationService>(c.attestation, std::move(verifiers), g->venice_.get(), *g->audit_log_,
                                             stats ? &stats->attestation : nullptr);
    g->receipts_ = std::make_unique<ReceiptService>(c.attestation.receipts, g->venice_.get(), *g->audit_log_,
                                                    stats ? &stats->attestation : nullptr);
    if (!c.auth.keys_file.empty())
        g->client_keys_ = with_context("auth", [&] {
            return std::make_unique<ClientKeySet>(ClientKeySet::load(in_config_directory(c, c.auth.keys_file)));
        });
    if (c.server.tls())
        g->server_identity_ = with_context("server TLS", [&] {
            return ServerIdentity::load(in_config_directory(c, c.server.tls_cert), in_config_directory(c, c.server.tls_key),
                                        c.server.tls_client_ca.empty() ? ""
                                                                       : in_config_directory(c, c.server.tls_client_ca));
        });
    g->sessions_ = std::make_unique<SessionStore>(c.session, stats ? &stats->sessions : nullptr);
    g->models_cache_ = std::make_unique<ModelsCache>(c.venice.models_cache_ttl);
    g->gate_ = std::move(gate);
    g->stage_services_ = std::make_unique<StageServices>(StageServices{
        c, *g->cipher_, g->instance_key_, g->tool_formats_, *g->sessions_, *g->attestation_, *g->gate_,
        random_uuid()});

    for (const auto &plugin : g->plugins_.all()) {
        if (plugin->kind != VEP_KIND_FILTER) continue;
        const auto filter = with_context("filter plugin " + plugin->name, [&] {
            return vep::client::FilterClient::create(plugin->descriptor,
                                                     plugin_config_json(c, plugin->name, json::Value::object()), plugin);
        });
        g->plugin_stages_.add(plugin->name, [filter](const StageServices &) { return make_plugin_filter_stage(filter); });
    }
    g->chain_ = with_context("chain", [&] {
        return Chain::build(c, *g->stage_services_, StageRegistry::builtin(), g->plugin_stages_);
    });

    if (require_tdx_unverifiable)
        logger("proxy.attestation")
            .warning("attestation.require_tdx is true but no tdx-dcap verifier is configured: every chat request "
                     "will fail with attestation_verifier_unavailable");
    return g;
}

}  // namespace vep::host
