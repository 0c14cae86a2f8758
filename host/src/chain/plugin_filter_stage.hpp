// A chain stage backed by a `filter` plugin: each request gets a plugin stream, and the plugin
// sees the exchange through vep_stream_callbacks (request headers, path and body; response
// headers; replacing the current event's data; local replies) on the request, on every upstream
// attempt (ABI 1.1 filters), on every response event and at completion. Registered by Generation::build
// under the plugin's descriptor name.
#pragma once

#include <memory>

#include "chain/stage.hpp"
#include "vep/client.hpp"

namespace vep::host {

std::shared_ptr<StageFactory> make_plugin_filter_stage(std::shared_ptr<const vep::client::FilterClient> filter);

}  // namespace vep::host
