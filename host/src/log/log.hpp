// Logging for the host: named Poco loggers ("proxy.http", "proxy.upstream", "plugin.<name>", ...)
// writing through one asynchronous console channel so logging never blocks a stream thread.
// configure_logging() is called once at start-up (and on reload) by the application; modules call
// logger("proxy.<component>"). Never log prompts, answers, tool payloads or keys.
#pragma once

#include <string>

#include <Poco/Logger.h>

namespace vep::host {

// Sets the level of every "proxy.*" and "plugin.*" logger ("trace" … "error", "off") and the
// line format: text, or `json` (one JSON object a line: time, level, logger, message).
void configure_logging(const std::string &level, bool json = false);

Poco::Logger &logger(const std::string &name);

}  // namespace vep::host
