// See client_keys.hpp.
#include "auth/client_keys.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <type_traits>

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "vep/hex.hpp"
#include "vep/json.hpp"
#include "vep/text.hpp"

namespace vep::host {
namespace {

constexpr size_t kMaxKeysFileBytes = 4 * 1024 * 1024;

[[noreturn]] void fail(const std::string &path, const std::string &why) {
    throw std::runtime_error("auth.keys_file " + path + ": " + why);
}

std::string read_limited(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) fail(path, "cannot be read");
    std::string text;
    char buf[8192];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        text.append(buf, static_cast<size_t>(in.gcount()));
        if (text.size() > kMaxKeysFileBytes) fail(path, "is larger than 4 MiB");
    }
    return text;
}

const json::Value &member(const json::Value &object, const char *name, const std::string &path, const std::string &where) {
    const json::Value *v = object.find(name);
    if (!v) fail(path, where + " has no \"" + name + "\"");
    return *v;
}

}  // namespace

bool ClientKey::allows_model(std::string_view model) const {
    if (models.empty()) return true;
    for (const auto &pattern : models)
        if (glob_match(pattern, model)) return true;
    return false;
}

std::array<unsigned char, 32> sha256_of(std::string_view text) {
    std::array<unsigned char, 32> digest{};
    SHA256(reinterpret_cast<const unsigned char *>(text.data()), text.size(), digest.data());
    return digest;
}

std::string generate_client_secret() {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    unsigned char bytes[43];
    if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("no randomness for a client key");
    std::string secret = "vep-";
    for (const unsigned char b : bytes) secret += kAlphabet[b & 63];
    OPENSSL_cleanse(bytes, sizeof bytes);
    return secret;
}

std::optional<std::string> presented_secret(std::string_view authorization, std::string_view x_api_key) {
    const auto trimmed = [](std::string_view s) {
        while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
        while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
        return s;
    };
    authorization = trimmed(authorization);
    if (authorization.size() > 7 && (authorization.substr(0, 7) == "Bearer " || authorization.substr(0, 7) == "bearer ")) {
        const auto secret = trimmed(authorization.substr(7));
        if (!secret.empty()) return std::string(secret);
    }
    x_api_key = trimmed(x_api_key);
    if (!x_api_key.empty()) return std::string(x_api_key);
    return std::nullopt;
}

ClientKeySet ClientKeySet::load(const std::string &path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        fail(path, "not found; create it with `venice-e2ee-proxy keys add --keys-file " + path + "`");
    if ((st.st_mode & 077) != 0) fail(path, "is readable or writable by group or others (chmod 600 it)");
    return parse(read_limited(path), path);
}

ClientKeySet ClientKeySet::parse(std::string_view text, const std::string &path) {
    if (text.size() > kMaxKeysFileBytes) fail(path, "is larger than 4 MiB");
    json::Value doc;
    try {
        doc = json::parse(text);
    } catch (const json::ParseError &e) {
        fail(path, std::string("is not valid JSON: ") + e.what());
    }
    const json::Value *list = doc.is_object() ? doc.find("keys") : nullptr;
    if (!list || !list->is_array()) fail(path, "must be an object with a \"keys\" array");
    ClientKeySet set;
    std::set<std::string> ids;
    for (size_t i = 0; i < list->as_array().size(); ++i) {
        const json::Value &entry = list->as_array()[i];
        const std::string where = "keys[" + std::to_string(i) + "]";
        if (!entry.is_object()) fail(path, where + " must be an object");
        auto key = std::make_shared<ClientKey>();
        const json::Value &id = member(entry, "id", path, where);
        const json::Value &hash = member(entry, "sha256", path, where);
        if (!id.is_string() || id.as_string().empty()) fail(path, where + ".id must be a non-empty string");
        key->id = id.as_string();
        if (!ids.insert(key->id).second) fail(path, where + ".id \"" + key->id + "\" is listed twice");
        if (const json::Value *label = entry.find("label"); label && label->is_string()) key->label = label->as_string();
        const auto digest = hash.is_string() ? vep::hex::decode(hash.as_string()) : std::nullopt;
        if (!digest || digest->size() != 32) fail(path, where + ".sha256 must be 64 hex digits");
        std::copy(digest->begin(), digest->end(), key->secret_sha256.begin());
        if (const json::Value *models = entry.find("models")) {
            if (!models->is_array()) fail(path, where + ".models must be an array of model ids or globs");
            for (const auto &m : models->as_array()) {
                if (!m.is_string() || m.as_string().empty()) fail(path, where + ".models must hold non-empty strings");
                key->models.push_back(m.as_string());
            }
        }
        if (const json::Value *limits = entry.find("limits")) {
            const auto read = [&](const char *name, auto &out, uint64_t max) {
                const json::Value *v = limits->is_object() ? limits->find(name) : nullptr;
                uint64_t n = 0;
                if (v && (!v->get_u64(n) || n > max))
                    fail(path, where + ".limits." + name + " must be 0.." + std::to_string(max));
                out = static_cast<std::remove_reference_t<decltype(out)>>(n);
            };
            if (!limits->is_object()) fail(path, where + ".limits must be an object");
            read("requests_per_minute", key->requests_per_minute, ClientKey::kMaxCount);
            read("max_streams", key->max_streams, ClientKey::kMaxCount);
            read("daily_completion_tokens", key->daily_completion_tokens, ClientKey::kMaxDailyTokens);
        }
        set.keys_.push_back(std::move(key));
    }
    return set;
}

void ClientKeySet::save(const std::string &path, const std::vector<ClientKey> &keys) {
    json::Value list = json::Value::array();
    for (const auto &key : keys) {
        json::Value entry = json::Value::object();
        entry.set("id", key.id);
        entry.set("label", key.label);
        entry.set("sha256", vep::hex::encode(key.secret_sha256.data(), key.secret_sha256.size()));
        if (!key.models.empty()) {
            json::Value models = json::Value::array();
            for (const auto &m : key.models) models.push_back(json::Value(m));
            entry.set("models", std::move(models));
        }
        if (key.requests_per_minute || key.max_streams || key.daily_completion_tokens) {
            json::Value limits = json::Value::object();
            limits.set("requests_per_minute", static_cast<uint64_t>(key.requests_per_minute));
            limits.set("max_streams", static_cast<uint64_t>(key.max_streams));
            limits.set("daily_completion_tokens", key.daily_completion_tokens);
            entry.set("limits", std::move(limits));
        }
        list.push_back(std::move(entry));
    }
    json::Value doc = json::Value::object();
    doc.set("keys", std::move(list));
    const std::string text = json::dump(doc) + "\n";
    const std::string temp = path + ".tmp";
    std::FILE *f = std::fopen(temp.c_str(), "w");
    if (!f) throw std::runtime_error("auth.keys_file " + path + ": cannot write " + temp);
    ::fchmod(fileno(f), 0600);
    // Run as root on the service's file, the new file keeps the service user as its owner.
    struct stat existing {};
    if (::stat(path.c_str(), &existing) == 0 && ::fchown(fileno(f), existing.st_uid, existing.st_gid) != 0 &&
        ::geteuid() == 0)
        throw std::runtime_error("auth.keys_file " + path + ": cannot keep the file's owner on " + temp);
    const bool written = std::fwrite(text.data(), 1, text.size(), f) == text.size();
    if (std::fclose(f) != 0 || !written) throw std::runtime_error("auth.keys_file " + path + ": cannot write " + temp);
    std::error_code error;
    std::filesystem::rename(temp, path, error);
    if (error) throw std::runtime_error("auth.keys_file " + path + ": cannot replace it: " + error.message());
}

std::shared_ptr<const ClientKey> ClientKeySet::authenticate(std::string_view secret) const {
    const auto digest = sha256_of(secret);
    std::shared_ptr<const ClientKey> found;
    for (const auto &key : keys_)
        if (CRYPTO_memcmp(digest.data(), key->secret_sha256.data(), digest.size()) == 0) found = key;
    return found;
}

}  // namespace vep::host
