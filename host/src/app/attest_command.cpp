// See attest_command.hpp.
#include "app/attest_command.hpp"

#include <cctype>
#include <ctime>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>

#include "attestation/attestation_service.hpp"
#include "config/loader.hpp"
#include "log/log.hpp"
#include "plugin/host_services.hpp"
#include "runtime/generation.hpp"
#include "vep/hex.hpp"

namespace vep::host {
namespace {

// The verifier every bare-quote check needs when --verifier does not name others.
constexpr const char *kQuoteVerifier = "tdx-dcap";

int usage(const std::string &why) {
    std::cerr << "attest: " << why << "\n"
              << "usage: venice-e2ee-proxy attest --evidence FILE --nonce HEX --model ID [options]\n"
                 "       venice-e2ee-proxy attest --quote FILE --nonce HEX [--signing-address HEX] [options]\n"
                 "       venice-e2ee-proxy attest --live MODEL [options]\n"
                 "options: --config FILE (default: built-in defaults)  --time UNIX (verification clock)\n"
                 "         --verifier NAME (repeatable; default: attestation.verifiers, or tdx-dcap for --quote)\n";
    return 2;
}

struct AttestArgs {
    std::string evidence_file, quote_file, live_model;
    std::string nonce, model, config_file, signing_address;
    std::optional<int64_t> time;
    std::vector<std::string> verifiers;
};

// Parses `args`; returns the usage complaint, or "" when they are complete and consistent.
std::string parse(const std::vector<std::string> &args, AttestArgs &out) {
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string &flag = args[i];
        if (i + 1 >= args.size()) return flag + " needs a value";
        const std::string &value = args[++i];
        if (flag == "--evidence") out.evidence_file = value;
        else if (flag == "--quote") out.quote_file = value;
        else if (flag == "--live") out.live_model = value;
        else if (flag == "--nonce") out.nonce = value;
        else if (flag == "--model") out.model = value;
        else if (flag == "--config") out.config_file = value;
        else if (flag == "--signing-address") out.signing_address = value;
        else if (flag == "--verifier") out.verifiers.push_back(value);
        else if (flag == "--time") {
            try {
                size_t used = 0;
                out.time = std::stoll(value, &used);
                if (used != value.size() || *out.time < 0) return "--time must be a unix time in seconds";
            } catch (const std::exception &) {
                return "--time must be a unix time in seconds";
            }
        } else {
            return "unknown option " + flag;
        }
    }
    const int sources = !out.evidence_file.empty() + !out.quote_file.empty() + !out.live_model.empty();
    if (sources != 1) return "give exactly one of --evidence, --quote, --live";
    if (!out.live_model.empty()) {
        if (!out.model.empty() && out.model != out.live_model) return "--model differs from --live";
        out.model = out.live_model;
    } else if (out.nonce.empty()) {
        return "--nonce is required with --evidence and --quote";
    }
    if (!out.evidence_file.empty() && out.model.empty()) return "--model is required with --evidence";
    if (!out.nonce.empty() && !hex::is_hex(out.nonce)) return "--nonce must be hex";
    if (!out.signing_address.empty() && out.quote_file.empty()) return "--signing-address only applies to --quote";
    return "";
}

std::string read_file(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A bare quote file (binary, or hex text) as the minimal evidence document the TDX verifier reads.
std::string quote_evidence(const std::string &path) {
    std::string bytes = read_file(path);
    std::string text = bytes;
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
    if (text.rfind("0x", 0) == 0) text.erase(0, 2);
    json::Value doc = json::Value::object();
    doc.set("intel_quote", hex::is_hex(text) ? text : hex::encode(bytes));
    return json::dump(doc);
}

// The workload pins of the report (tdx-dcap checks workload_* and dev_os_image): which held,
// which failed, with their details.
json::Value workload_pins(const json::Value &report) {
    json::Value pins = json::Value::array();
    const json::Value *checks = report.find("checks");
    if (!checks || !checks->is_array()) return pins;
    for (const json::Value &check : checks->as_array()) {
        const json::Value *name = check.find("name");
        if (!name || !name->is_string()) continue;
        const std::string &n = name->as_string();
        if (n.rfind("workload_", 0) != 0 && n != "dev_os_image") continue;
        json::Value pin = json::Value::object();
        pin.set("name", n);
        const json::Value *ok = check.find("ok");
        pin.set("held", ok && ok->is_bool() && ok->as_bool());
        if (const json::Value *detail = check.find("detail")) pin.set("detail", *detail);
        pins.push_back(std::move(pin));
    }
    return pins;
}

Config load_config(const std::string &file) {
    const Environment env = Environment::from_process();
    return file.empty() ? load_config_text("", "<built-in defaults>", env) : load_config_file(file, env);
}

}  // namespace

int run_attest_command(const std::vector<std::string> &args) {
    AttestArgs a;
    if (std::string why = parse(args, a); !why.empty()) return usage(why);
    const bool quote_mode = !a.quote_file.empty();
    if (quote_mode && a.verifiers.empty()) a.verifiers.push_back(kQuoteVerifier);
    // The report on stdout says everything a warning would; keep stderr for real errors.
    configure_logging("error");
    try {
        const PluginLoader loader(host_services());
        const auto purpose = a.live_model.empty() ? GenerationPurpose::Check : GenerationPurpose::Serve;
        const auto generation =
            Generation::build(load_config(a.config_file), loader, std::make_shared<ConcurrencyGate>(), purpose);

        std::string evidence;
        if (!a.evidence_file.empty()) evidence = read_file(a.evidence_file);
        if (quote_mode) evidence = quote_evidence(a.quote_file);
        if (!a.live_model.empty()) {
            if (a.nonce.empty()) a.nonce = fresh_attestation_nonce();
            evidence = generation->venice().get_attestation(a.model, a.nonce);
        }

        EvaluationScope scope;
        scope.verifiers = a.verifiers;
        scope.policy_gates = !quote_mode;
        json::Value seed = json::Value::object();
        if (!a.signing_address.empty()) seed.set("signing_address", a.signing_address);
        const int64_t now = a.time.value_or(static_cast<int64_t>(std::time(nullptr)));
        const AttestationVerdict verdict =
            generation->attestation().evaluate(a.model, a.nonce, evidence, now, std::move(seed), scope);

        json::Value out = json::Value::object();
        out.set("mode", quote_mode ? "quote" : a.live_model.empty() ? "evidence" : "live");
        out.set("model", a.model);
        out.set("nonce", a.nonce);
        out.set("verification_time", now);
        out.set("outcome", verdict.verified ? "verified" : "rejected");
        if (!verdict.verified) {
            out.set("code", verdict.code);
            out.set("message", verdict.message);
        }
        out.set("pins", workload_pins(verdict.report));
        out.set("report", verdict.report);
        std::cout << json::dump(out) << "\n";
        return verdict.verified ? 0 : 1;
    } catch (const std::exception &e) {
        std::cerr << "attest: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace vep::host
