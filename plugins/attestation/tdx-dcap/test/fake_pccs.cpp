// A fake Intel PCCS for the tdx-dcap tests (see fake_pccs.hpp).
#include "fake_pccs.hpp"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>

#include <condition_variable>
#include <map>
#include <mutex>
#include <ostream>

#include "vep/hex.hpp"

namespace tdx_test {

struct FakePccs::State {
    std::mutex mutex;
    std::condition_variable stopping_cv;
    bool stopping = false;
    std::map<std::string, Response> responses;
    std::map<std::string, int> hits;
};

namespace {

class Handler : public Poco::Net::HTTPRequestHandler {
  public:
    explicit Handler(std::shared_ptr<FakePccs::State> state) : state_(std::move(state)) {}

    void handleRequest(Poco::Net::HTTPServerRequest &request, Poco::Net::HTTPServerResponse &response) override {
        FakePccs::Response canned;
        canned.status = 404;
        {
            std::unique_lock lock(state_->mutex);
            ++state_->hits[request.getURI()];
            if (auto it = state_->responses.find(request.getURI()); it != state_->responses.end()) canned = it->second;
            // Wait out the delay unless the server is shutting down.
            state_->stopping_cv.wait_for(lock, canned.delay, [&] { return state_->stopping; });
            if (state_->stopping) return;
        }
        response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(canned.status));
        for (const auto &[key, value] : canned.headers) response.set(key, value);
        if (canned.chunked) response.setChunkedTransferEncoding(true);
        else response.setContentLength64(static_cast<Poco::Int64>(canned.body.size()));
        response.send() << canned.body;
    }

  private:
    std::shared_ptr<FakePccs::State> state_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
  public:
    explicit Factory(std::shared_ptr<FakePccs::State> state) : state_(std::move(state)) {}
    Poco::Net::HTTPRequestHandler *createRequestHandler(const Poco::Net::HTTPServerRequest &) override {
        return new Handler(state_);
    }

  private:
    std::shared_ptr<FakePccs::State> state_;
};

}  // namespace

FakePccs::FakePccs() : state_(std::make_shared<State>()) {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    port_ = socket.address().port();
    auto *params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(8);
    params->setKeepAlive(false);
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(state_), socket, params);
    server_->start();
}

FakePccs::~FakePccs() {
    {
        std::lock_guard lock(state_->mutex);
        state_->stopping = true;
    }
    state_->stopping_cv.notify_all();
    server_->stopAll(true);
}

std::string FakePccs::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

void FakePccs::set(const std::string &target, Response response) {
    std::lock_guard lock(state_->mutex);
    state_->responses[target] = std::move(response);
}

int FakePccs::hits(const std::string &target) const {
    std::lock_guard lock(state_->mutex);
    const auto it = state_->hits.find(target);
    return it == state_->hits.end() ? 0 : it->second;
}

int FakePccs::total_hits() const {
    std::lock_guard lock(state_->mutex);
    int total = 0;
    for (const auto &[target, n] : state_->hits) total += n;
    return total;
}

std::string FakePccs::tcb_target(const std::string &fmspc_upper, const std::string &prefix) {
    return prefix + "/tdx/certification/v4/tcb?fmspc=" + fmspc_upper;
}
std::string FakePccs::qe_target(const std::string &prefix) { return prefix + "/tdx/certification/v4/qe/identity"; }
std::string FakePccs::pck_crl_target(const std::string &ca, const std::string &prefix) {
    return prefix + "/sgx/certification/v4/pckcrl?ca=" + ca + "&encoding=der";
}
std::string FakePccs::root_crl_target(const std::string &prefix) { return prefix + "/sgx/certification/v4/rootcacrl"; }

void FakePccs::serve_collateral(const vep::json::Value &collateral, const std::string &fmspc_upper,
                                const std::string &prefix) {
    auto member = [&](const char *key) { return collateral.find(key)->as_string(); };
    Response tcb;
    tcb.body = "{\"tcbInfo\":" + member("tcb_info") + ",\"signature\":\"" + member("tcb_info_signature") + "\"}";
    tcb.headers = {{"TCB-Info-Issuer-Chain", url_encode(member("tcb_info_issuer_chain"))},
                   {"Content-Type", "application/json"}};
    set(tcb_target(fmspc_upper, prefix), tcb);

    Response qe;
    qe.body = "{\"enclaveIdentity\":" + member("qe_identity") + ",\"signature\":\"" + member("qe_identity_signature") +
              "\"}";
    qe.headers = {{"SGX-Enclave-Identity-Issuer-Chain", url_encode(member("qe_identity_issuer_chain"))},
                  {"Content-Type", "application/json"}};
    set(qe_target(prefix), qe);

    Response pck_crl;
    pck_crl.body = unhex_to_string(member("pck_crl"));
    pck_crl.headers = {{"SGX-PCK-CRL-Issuer-Chain", url_encode(member("pck_crl_issuer_chain"))},
                       {"Content-Type", "application/pkix-crl"}};
    set(pck_crl_target("platform", prefix), pck_crl);

    Response root_crl;
    root_crl.body = member("root_ca_crl");
    set(root_crl_target(prefix), root_crl);
}

std::string url_encode(const std::string &text) {
    static constexpr char kDigits[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(kDigits[c >> 4]);
            out.push_back(kDigits[c & 15]);
        }
    }
    return out;
}

std::string unhex_to_string(const std::string &text) {
    const std::vector<uint8_t> bytes = vep::hex::decode(text).value();
    return std::string(bytes.begin(), bytes.end());
}

}  // namespace tdx_test
