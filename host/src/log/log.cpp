// See log.hpp.
#include "log/log.hpp"

#include <mutex>

#include <Poco/AsyncChannel.h>
#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/PatternFormatter.h>

namespace vep::host {
namespace {

int poco_level(const std::string &level) {
    if (level == "trace") return Poco::Message::PRIO_TRACE;
    if (level == "debug") return Poco::Message::PRIO_DEBUG;
    if (level == "info") return Poco::Message::PRIO_INFORMATION;
    if (level == "warn" || level == "warning") return Poco::Message::PRIO_WARNING;
    if (level == "error") return Poco::Message::PRIO_ERROR;
    if (level == "off") return 0;
    return Poco::Message::PRIO_INFORMATION;
}

std::once_flag channel_once;

void install_channel() {
    Poco::AutoPtr<Poco::PatternFormatter> formatter(new Poco::PatternFormatter("%Y-%m-%dT%H:%M:%S.%iZ %p %s: %t"));
    formatter->setProperty("times", "UTC");
    Poco::AutoPtr<Poco::ConsoleChannel> console(new Poco::ConsoleChannel);
    Poco::AutoPtr<Poco::FormattingChannel> formatting(new Poco::FormattingChannel(formatter, console));
    Poco::AutoPtr<Poco::AsyncChannel> async(new Poco::AsyncChannel(formatting));
    Poco::Logger::root().setChannel(async);
}

}  // namespace

void configure_logging(const std::string &level) {
    std::call_once(channel_once, install_channel);
    const int prio = poco_level(level);
    Poco::Logger::root().setLevel(prio);
    Poco::Logger::setLevel("proxy", prio);
    Poco::Logger::setLevel("plugin", prio);
}

Poco::Logger &logger(const std::string &name) { return Poco::Logger::get(name); }

}  // namespace vep::host
