// See proxy_app.hpp.
#include "app/proxy_app.hpp"

#include <signal.h>

#include <iostream>
#include <memory>
#include <mutex>
#include <optional>

#include <Poco/Exception.h>

#include "app/systemd_notify.hpp"
#include "config/loader.hpp"
#include "http/admin_server.hpp"
#include "http/exposure_policy.hpp"
#include "http/proxy_server.hpp"
#include "log/log.hpp"
#include "plugin/host_services.hpp"
#include "plugin/plugin_loader.hpp"
#include "runtime/generation.hpp"
#include "runtime/generation_holder.hpp"
#include "runtime/model_probe.hpp"

namespace vep::host {
namespace {

// Exit statuses of the reference proxy: 2 for a bad command line, 1 for any start-up failure.
constexpr int kExitUsage = 2;
constexpr int kExitStartupFailure = 1;

sigset_t server_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGQUIT);
    return set;
}

// What the server process keeps across reloads.
struct Runtime {
    const std::string &path;
    const PluginLoader &loader;
    GenerationHolder &generations;
    const std::shared_ptr<ConcurrencyGate> &gate;
    ProxyStats &stats;
    ModelProbe &probe;
    std::mutex reload_mutex;  // SIGHUP and POST /admin/reload reload one at a time
};

// Loads the config file (or, when the path is empty, the defaults and the environment alone) and
// builds a generation; throws ConfigError / GenerationError.
std::shared_ptr<const Generation> load_generation(Runtime &rt) {
    Config config = rt.path.empty() ? load_config_environment(Environment::from_process())
                                    : load_config_file(rt.path, Environment::from_process());
    configure_logging(proxy_log_level(parse_log_filter(config.logging.level)), config.logging.format == LogFormat::Json);
    auto generation = Generation::build(std::move(config), rt.loader, rt.gate, GenerationPurpose::Serve, &rt.stats);
    check_exposure(generation->config());
    return generation;
}

// Where the configuration comes from, for log lines.
std::string describe_source(const std::string &path) {
    return path.empty() ? "the defaults and VENICE_E2EE_PROXY__* environment variables" : path;
}

// Swaps in a new generation built from the config file; nullopt when it took effect, else why not
// (the running generation keeps serving).
std::optional<std::string> reload(Runtime &rt) {
    std::lock_guard<std::mutex> lock(rt.reload_mutex);
    auto &log = logger("proxy.reload");
    const auto previous = rt.generations.current();
    const std::string &path = rt.path;
    auto &gate = rt.gate;
    try {
        auto next = load_generation(rt);
        if (next->config().server.tls() != previous->config().server.tls())
            throw std::runtime_error(std::string("server.tls_cert: the listener ") +
                                     (previous->config().server.tls() ? "serves TLS" : "serves plain HTTP") +
                                     "; turning TLS on or off needs a restart");
        std::string restart_only;
        for (const std::string &key : restart_only_changes(previous->config(), next->config()))
            restart_only += (restart_only.empty() ? "" : ", ") + key;
        if (!restart_only.empty())
            log.warning(restart_only + " changed: they take effect only after a restart");
        gate->set_limit(effective_stream_limit(next->config().server));
        rt.generations.swap_in(std::move(next));
        rt.probe.generation_changed();
        rt.stats.config.generation.fetch_add(1);
        rt.stats.config.reloads.fetch_add(1);
        log.information("configuration reloaded from " + describe_source(path));
        return std::nullopt;
    } catch (const std::exception &e) {
        const LoggingConfig &logging = previous->config().logging;
        configure_logging(proxy_log_level(parse_log_filter(logging.level)), logging.format == LogFormat::Json);
        rt.stats.config.reload_failures.fetch_add(1);
        log.error(std::string("reload refused, the running configuration keeps serving: ") + e.what());
        return std::string(e.what());
    }
}

// The admin listener when [admin] enables it; throws (Poco::Exception, std::runtime_error) when it
// cannot start.
std::unique_ptr<AdminServer> start_admin(const Config &config, const ProxyServer &server, Runtime &rt) {
    if (!config.admin.enabled) return nullptr;
    std::string token;
    if (!config.admin.token_file.empty()) token = read_admin_token(config.admin.token_file);
    auto admin = std::make_unique<AdminServer>(config.admin, std::move(token), server.services(),
                                               [&rt] { return reload(rt); });
    admin->start();
    return admin;
}

}  // namespace

void block_server_signals() {
    const sigset_t set = server_signals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int ProxyApp::main(const std::vector<std::string> &args) {
    if (args.size() > 1) {
        std::cerr << "usage: venice-e2ee-proxy [config.toml]   (see --help)\n";
        return kExitUsage;
    }
    const std::string path = args.empty() ? std::string() : args[0];
    auto &log = vep::host::logger("proxy.app");
    if (path.empty()) {
        configure_logging("info");
        log.information("no config file given: running on the built-in defaults and VENICE_E2EE_PROXY__* "
                        "environment variables");
    }
    PluginLoader loader(host_services());
    ProxyStats stats;
    const auto gate = std::make_shared<ConcurrencyGate>();
    GenerationHolder generations;
    ModelProbe probe(generations);
    Runtime rt{path, loader, generations, gate, stats, probe, {}};
    try {
        generations.swap_in(load_generation(rt));
        stats.config.generation.store(1);
    } catch (const std::exception &e) {
        configure_logging("info");
        log.fatal(std::string("start-up failed: ") + e.what());
        Poco::Logger::shutdown();
        std::cerr << "venice-e2ee-proxy: start-up failed: " << e.what() << "\n";
        return kExitStartupFailure;
    }
    const Config &config = generations.current()->config();
    std::unique_ptr<ProxyServer> server;
    try {
        server = std::make_unique<ProxyServer>(config.server, generations, stats, *gate);
    } catch (const Poco::Exception &e) {
        std::cerr << "venice-e2ee-proxy: cannot listen on " << config.server.host << ":" << config.server.port << ": "
                  << e.displayText() << "\n";
        return kExitStartupFailure;
    }
    std::unique_ptr<AdminServer> admin;
    try {
        admin = start_admin(config, *server, rt);
    } catch (const Poco::Exception &e) {
        std::cerr << "venice-e2ee-proxy: cannot start the admin listener on " << config.admin.host << ":"
                  << config.admin.port << ": " << e.displayText() << "\n";
        return kExitStartupFailure;
    } catch (const std::exception &e) {
        std::cerr << "venice-e2ee-proxy: cannot start the admin listener: " << e.what() << "\n";
        return kExitStartupFailure;
    }
    server->start();
    probe.start();
    std::cout << "venice-e2ee-proxy listening on " << (config.server.tls() ? "https://" : "http://")
              << config.server.host << ":" << server->port() << std::endl;
    if (admin)
        std::cout << "venice-e2ee-proxy admin listening on http://" << config.admin.host << ":" << admin->port()
                  << std::endl;
    log.information("listening on " + config.server.host + ":" + std::to_string(server->port()) +
                    (config.server.tls() ? " with TLS, " + rt.generations.current()->server_identity()->description()
                                         : "") +
                    " (upstream " + config.venice.base_url + ")");
    const SystemdNotifier notifier = SystemdNotifier::from_environment();
    notifier.ready("listening on " + config.server.host + ":" + std::to_string(server->port()));

    const sigset_t set = server_signals();
    for (;;) {
        int sig = 0;
        if (sigwait(&set, &sig) != 0) continue;
        if (sig == SIGHUP) {
            notifier.reloading("reloading " + describe_source(path));
            notifier.ready(!reload(rt) ? "configuration reloaded from " + describe_source(path)
                                       : "reload refused, the running configuration keeps serving");
            continue;
        }
        break;
    }
    probe.stop();
    const auto grace = generations.current()->config().server.shutdown_grace;
    notifier.stopping("draining requests");
    log.information("shutting down: draining requests for up to " + std::to_string(grace.count()) + " ms");
    const int cut = server->drain_and_stop(grace);
    if (cut > 0) log.warning(std::to_string(cut) + " request(s) were cut off at the end of the grace period");
    admin.reset();
    server.reset();
    log.information("stopped");
    Poco::Logger::shutdown();
    return EXIT_OK;
}

}  // namespace vep::host
