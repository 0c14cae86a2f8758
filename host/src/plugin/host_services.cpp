// See host_services.hpp.
#include "plugin/host_services.hpp"

#include <ctime>
#include <string>

#include "log/log.hpp"

namespace vep::host {
namespace {

void plugin_log(void *, vep_log_level level, vep_str plugin, vep_str message) {
    auto &log = logger("plugin." + std::string(plugin.data ? plugin.data : "", plugin.len));
    const std::string text(message.data ? message.data : "", message.len);
    switch (level) {
    case VEP_LOG_TRACE: log.trace(text); break;
    case VEP_LOG_DEBUG: log.debug(text); break;
    case VEP_LOG_INFO: log.information(text); break;
    case VEP_LOG_WARN: log.warning(text); break;
    case VEP_LOG_ERROR: log.error(text); break;
    }
}

int64_t plugin_now(void *) { return static_cast<int64_t>(std::time(nullptr)); }

}  // namespace

const vep_host_api *host_services() {
    static const vep_host_api api = {sizeof(vep_host_api), VEP_ABI_MAJOR, VEP_ABI_MINOR, nullptr, &plugin_log,
                                     &plugin_now};
    return &api;
}

}  // namespace vep::host
