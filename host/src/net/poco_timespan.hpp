// to_timespan(): a configured duration as the Poco::Timespan Poco's socket and session timeouts
// take. Used by the HTTP server and the Venice client.
#pragma once

#include <chrono>

#include <Poco/Timespan.h>

namespace vep::host {

inline Poco::Timespan to_timespan(std::chrono::milliseconds ms) {
    return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(ms.count()) * 1000);
}

}  // namespace vep::host
