// See metrics_scraper.hpp.
#include "metrics_scraper.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <stdexcept>

namespace vep::bench {

std::string fetch_metrics(uint16_t admin_port) {
    try {
        Poco::Net::HTTPClientSession session("127.0.0.1", admin_port);
        session.setTimeout(Poco::Timespan(5, 0));
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/metrics", Poco::Net::HTTPMessage::HTTP_1_1);
        session.sendRequest(request);
        Poco::Net::HTTPResponse response;
        std::istream &body = session.receiveResponse(response);
        std::string text;
        Poco::StreamCopier::copyToString(body, text);
        if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK)
            throw std::runtime_error("GET /metrics: status " + std::to_string(static_cast<int>(response.getStatus())));
        return text;
    } catch (const Poco::Exception &e) {
        throw std::runtime_error("GET /metrics: " + e.displayText());
    }
}

double metric_value(const std::string &exposition, const std::string &name) {
    const std::string line_start = "\n" + name + " ";
    const size_t at = ("\n" + exposition).find(line_start);
    if (at == std::string::npos) throw std::runtime_error("/metrics has no " + name);
    return std::stod(exposition.substr(at + name.size()));
}

MetricsScraper::MetricsScraper(uint16_t admin_port, std::chrono::milliseconds interval)
    : port_(admin_port), interval_(interval), thread_([this] { run(); }) {}

MetricsScraper::~MetricsScraper() { stop(); }

size_t MetricsScraper::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
    std::lock_guard<std::mutex> lock(mutex_);
    return scrapes_;
}

std::string MetricsScraper::last_failure() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return failure_;
}

void MetricsScraper::run() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
        lock.unlock();
        std::string failure;
        try {
            fetch_metrics(port_);
        } catch (const std::runtime_error &e) {
            failure = e.what();
        }
        lock.lock();
        if (failure.empty()) ++scrapes_;
        else failure_ = failure;
    }
}

}  // namespace vep::bench
