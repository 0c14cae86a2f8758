// See metrics_scraper.hpp.
#include "metrics_scraper.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/NullStream.h>
#include <Poco/StreamCopier.h>

namespace vep::bench {

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
            Poco::Net::HTTPClientSession session("127.0.0.1", port_);
            session.setTimeout(Poco::Timespan(5, 0));
            Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/metrics", Poco::Net::HTTPMessage::HTTP_1_1);
            session.sendRequest(request);
            Poco::Net::HTTPResponse response;
            std::istream &body = session.receiveResponse(response);
            Poco::NullOutputStream sink;
            Poco::StreamCopier::copyStream(body, sink);
            if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK)
                failure = "status " + std::to_string(static_cast<int>(response.getStatus()));
        } catch (const Poco::Exception &e) {
            failure = e.displayText();
        }
        lock.lock();
        if (failure.empty()) ++scrapes_;
        else failure_ = failure;
    }
}

}  // namespace vep::bench
