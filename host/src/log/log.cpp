// See log.hpp.
#include "log/log.hpp"

#include <atomic>
#include <mutex>

#include <Poco/AsyncChannel.h>
#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/FormattingChannel.h>
#include <Poco/PatternFormatter.h>

#include "vep/json.hpp"

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

const char *level_name(Poco::Message::Priority priority) {
    switch (priority) {
    case Poco::Message::PRIO_TRACE: return "trace";
    case Poco::Message::PRIO_DEBUG: return "debug";
    case Poco::Message::PRIO_INFORMATION:
    case Poco::Message::PRIO_NOTICE: return "info";
    case Poco::Message::PRIO_WARNING: return "warn";
    case Poco::Message::PRIO_ERROR: return "error";
    default: return "fatal";
    }
}

// Formats a line as text ("2026-01-01T00:00:00.000Z Information proxy.http: text") or, with
// logging.format = "json", as one JSON object with the same fields: time, level, logger, message.
// The format is switched by configure_logging while the channel runs.
class LineFormatter final : public Poco::Formatter {
  public:
    LineFormatter() : text_(new Poco::PatternFormatter("%Y-%m-%dT%H:%M:%S.%iZ %p %s: %t")) {
        text_->setProperty("times", "UTC");
    }
    void set_json(bool json) { json_.store(json); }
    void format(const Poco::Message &message, std::string &text) override {
        if (!json_.load()) {
            text_->format(message, text);
            return;
        }
        json::Value line = json::Value::object();
        line.set("time", Poco::DateTimeFormatter::format(message.getTime(), "%Y-%m-%dT%H:%M:%S.%iZ"));
        line.set("level", level_name(message.getPriority()));
        line.set("logger", message.getSource());
        line.set("message", message.getText());
        text = json::dump(line);
    }

  private:
    Poco::AutoPtr<Poco::PatternFormatter> text_;
    std::atomic<bool> json_{false};
};

std::once_flag channel_once;
Poco::AutoPtr<LineFormatter> line_formatter;

void install_channel() {
    line_formatter = new LineFormatter;
    Poco::AutoPtr<Poco::Formatter> formatter(line_formatter);
    Poco::AutoPtr<Poco::ConsoleChannel> console(new Poco::ConsoleChannel);
    Poco::AutoPtr<Poco::FormattingChannel> formatting(new Poco::FormattingChannel(formatter, console));
    Poco::AutoPtr<Poco::AsyncChannel> async(new Poco::AsyncChannel(formatting));
    Poco::Logger::root().setChannel(async);
}

}  // namespace

void configure_logging(const std::string &level, bool json) {
    std::call_once(channel_once, install_channel);
    line_formatter->set_json(json);
    const int prio = poco_level(level);
    Poco::Logger::root().setLevel(prio);
    Poco::Logger::setLevel("proxy", prio);
    Poco::Logger::setLevel("plugin", prio);
}

Poco::Logger &logger(const std::string &name) { return Poco::Logger::get(name); }

}  // namespace vep::host
