// See keys_command.hpp.
#include "app/keys_command.hpp"

#include <filesystem>
#include <iostream>
#include <map>
#include <sstream>
#include <stdexcept>

#include <openssl/rand.h>

#include "auth/client_keys.hpp"
#include "vep/hex.hpp"

namespace vep::host {
namespace {

constexpr int kUsage = 2;

int usage(const std::string &why) {
    std::cerr << "venice-e2ee-proxy keys: " << why << "\n"
              << "usage: venice-e2ee-proxy keys add --keys-file FILE [--label TEXT] [--models ID,GLOB,...] [--id ID]\n"
                 "                                      [--rpm REQUESTS_PER_MINUTE] [--max-streams N]\n"
                 "                                      [--daily-tokens COMPLETION_TOKENS]\n"
                 "       venice-e2ee-proxy keys list --keys-file FILE\n"
                 "       venice-e2ee-proxy keys revoke --keys-file FILE ID\n";
    return kUsage;
}

std::vector<ClientKey> load_existing(const std::string &path) {
    std::vector<ClientKey> keys;
    if (!std::filesystem::exists(path)) return keys;
    const ClientKeySet set = ClientKeySet::load(path);
    for (const auto &key : set.keys()) keys.push_back(*key);
    return keys;
}

std::string new_id() {
    unsigned char bytes[6];
    if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("no randomness for a key id");
    return "key-" + vep::hex::encode(bytes, sizeof bytes);
}

std::vector<std::string> split_list(const std::string &text) {
    std::vector<std::string> out;
    std::stringstream ss(text);
    for (std::string item; std::getline(ss, item, ',');)
        if (!item.empty()) out.push_back(item);
    return out;
}

int add(const std::string &path, const std::map<std::string, std::string> &options) {
    auto keys = load_existing(path);
    ClientKey key;
    key.id = options.count("--id") ? options.at("--id") : new_id();
    for (const auto &existing : keys)
        if (existing.id == key.id) throw std::runtime_error("a key with id " + key.id + " exists already");
    if (options.count("--label")) key.label = options.at("--label");
    if (options.count("--models")) key.models = split_list(options.at("--models"));
    const auto limit = [&](const char *name, uint64_t max) -> uint64_t {
        if (!options.count(name)) return 0;
        const uint64_t n = std::stoull(options.at(name));
        if (n > max) throw std::out_of_range(name);
        return n;
    };
    key.requests_per_minute = static_cast<uint32_t>(limit("--rpm", ClientKey::kMaxCount));
    key.max_streams = static_cast<uint32_t>(limit("--max-streams", ClientKey::kMaxCount));
    key.daily_completion_tokens = limit("--daily-tokens", ClientKey::kMaxDailyTokens);
    const std::string secret = generate_client_secret();
    key.secret_sha256 = sha256_of(secret);
    keys.push_back(key);
    ClientKeySet::save(path, keys);
    std::cout << "added key " << key.id << (key.label.empty() ? "" : " (" + key.label + ")")
              << "; its secret, shown only now:\n"
              << secret << "\n";
    return 0;
}

int list(const std::string &path) {
    for (const auto &key : load_existing(path)) {
        std::string models;
        for (const auto &m : key.models) models += (models.empty() ? "" : ",") + m;
        std::cout << key.id << "\t" << (key.label.empty() ? "-" : key.label) << "\t"
                  << (models.empty() ? "all models" : models) << "\t"
                  << (key.requests_per_minute ? std::to_string(key.requests_per_minute) + "/min" : "no rate limit") << "\t"
                  << (key.max_streams ? std::to_string(key.max_streams) + " streams" : "no stream limit") << "\t"
                  << (key.daily_completion_tokens ? std::to_string(key.daily_completion_tokens) + " tokens/day"
                                                  : "no token budget")
                  << "\n";
    }
    return 0;
}

int revoke(const std::string &path, const std::string &id) {
    auto keys = load_existing(path);
    const auto before = keys.size();
    std::erase_if(keys, [&](const ClientKey &k) { return k.id == id; });
    if (keys.size() == before) throw std::runtime_error("no key with id " + id + " in " + path);
    ClientKeySet::save(path, keys);
    std::cout << "revoked key " << id << " (a running proxy drops it on SIGHUP)\n";
    return 0;
}

}  // namespace

int run_keys_command(const std::vector<std::string> &args) {
    if (args.empty()) return usage("name a verb: add, list or revoke");
    const std::string verb = args[0];
    std::map<std::string, std::string> options;
    std::vector<std::string> positional;
    for (size_t i = 1; i < args.size(); ++i) {
        if (args[i].rfind("--", 0) == 0) {
            if (i + 1 >= args.size()) return usage(args[i] + " needs a value");
            options[args[i]] = args[i + 1];
            ++i;
        } else {
            positional.push_back(args[i]);
        }
    }
    for (const auto &[name, value] : options)
        if (name != "--keys-file" && name != "--label" && name != "--models" && name != "--id" && name != "--rpm" &&
            name != "--max-streams" && name != "--daily-tokens")
            return usage("unknown option " + name);
    if (!options.count("--keys-file")) return usage("--keys-file FILE is required");
    const std::string path = options.at("--keys-file");
    try {
        if (verb == "add" && positional.empty()) return add(path, options);
        if (verb == "list" && positional.empty()) return list(path);
        if (verb == "revoke" && positional.size() == 1) return revoke(path, positional[0]);
    } catch (const std::logic_error &) {  // std::stoull's invalid_argument and out_of_range
        return usage("--rpm and --max-streams take a number up to " + std::to_string(ClientKey::kMaxCount) +
                     ", --daily-tokens one up to " + std::to_string(ClientKey::kMaxDailyTokens));
    } catch (const std::exception &e) {
        std::cerr << "venice-e2ee-proxy keys: " << e.what() << "\n";
        return 1;
    }
    return usage("unknown verb or arguments: " + verb);
}

}  // namespace vep::host
