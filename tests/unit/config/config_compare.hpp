// Field-by-field comparison of two Configs (everything but sources, path and directory), so a
// failing test names the field that differs.
#pragma once

#include <gtest/gtest.h>

#include "config/config.hpp"

namespace vep::host::testing {

inline void expect_same_settings(const Config &a, const Config &b, bool compare_api_key = true) {
    EXPECT_EQ(a.server.host, b.server.host);
    EXPECT_EQ(a.server.port, b.server.port);
    EXPECT_EQ(a.server.max_threads, b.server.max_threads);
    EXPECT_EQ(a.server.max_queued, b.server.max_queued);
    EXPECT_EQ(a.server.relay_threads, b.server.relay_threads);
    EXPECT_EQ(a.server.max_concurrent_streams, b.server.max_concurrent_streams);
    EXPECT_EQ(a.server.receive_timeout, b.server.receive_timeout);
    EXPECT_EQ(a.server.send_timeout, b.server.send_timeout);
    EXPECT_EQ(a.server.keep_alive_timeout, b.server.keep_alive_timeout);
    EXPECT_EQ(a.server.shutdown_grace, b.server.shutdown_grace);
    EXPECT_EQ(a.server.max_body_bytes, b.server.max_body_bytes);
    EXPECT_EQ(a.server.request_read_timeout, b.server.request_read_timeout);
    EXPECT_EQ(a.server.max_connections_per_client, b.server.max_connections_per_client);
    EXPECT_EQ(a.limits.max_buffered_answer_bytes, b.limits.max_buffered_answer_bytes);
    EXPECT_EQ(a.logging.level, b.logging.level);
    EXPECT_EQ(a.logging.audit_log, b.logging.audit_log);
    EXPECT_EQ(a.logging.format, b.logging.format);
    EXPECT_EQ(a.admin.enabled, b.admin.enabled);
    EXPECT_EQ(a.admin.host, b.admin.host);
    EXPECT_EQ(a.admin.port, b.admin.port);
    EXPECT_EQ(a.admin.token_file, b.admin.token_file);
    EXPECT_EQ(a.venice.base_url, b.venice.base_url);
    if (compare_api_key) {
        EXPECT_EQ(a.venice.api_key.expose(), b.venice.api_key.expose());
    }
    EXPECT_EQ(a.venice.request_timeout, b.venice.request_timeout);
    EXPECT_EQ(a.venice.ca_file, b.venice.ca_file);
    EXPECT_EQ(a.venice.models_cache_ttl, b.venice.models_cache_ttl);
    EXPECT_EQ(a.keys.generate_proxy_instance_key_on_startup, b.keys.generate_proxy_instance_key_on_startup);
    EXPECT_EQ(a.keys.client_key_scope, b.keys.client_key_scope);
    EXPECT_EQ(a.session.idle_ttl, b.session.idle_ttl);
    EXPECT_EQ(a.session.max_ttl, b.session.max_ttl);
    EXPECT_EQ(a.session.max_requests, b.session.max_requests);
    EXPECT_EQ(a.session.fallback_scope, b.session.fallback_scope);
    EXPECT_EQ(a.session.incoming_session_id_header, b.session.incoming_session_id_header);
    EXPECT_EQ(a.session.max_sessions, b.session.max_sessions);
    EXPECT_EQ(a.attestation.mode, b.attestation.mode);
    EXPECT_EQ(a.attestation.require_tdx, b.attestation.require_tdx);
    EXPECT_EQ(a.attestation.require_nvidia, b.attestation.require_nvidia);
    EXPECT_EQ(a.attestation.allow_debug, b.attestation.allow_debug);
    EXPECT_EQ(a.attestation.pccs_url, b.attestation.pccs_url);
    EXPECT_EQ(a.attestation.verifiers, b.attestation.verifiers);
    EXPECT_EQ(a.attestation.probe_interval, b.attestation.probe_interval);
    EXPECT_EQ(a.e2ee.hkdf_info, b.e2ee.hkdf_info);
    EXPECT_EQ(a.e2ee.require_encrypted_response_content, b.e2ee.require_encrypted_response_content);
    EXPECT_EQ(a.e2ee.backend, b.e2ee.backend);
    EXPECT_EQ(a.e2ee.ephemeral_key_per, b.e2ee.ephemeral_key_per);
    EXPECT_EQ(a.e2ee.require_e2ee, b.e2ee.require_e2ee);
    EXPECT_EQ(a.models, b.models);
    EXPECT_EQ(a.model_list.list_only_attested, b.model_list.list_only_attested);
    EXPECT_EQ(a.tools.enabled, b.tools.enabled);
    EXPECT_EQ(a.tools.mode, b.tools.mode);
    EXPECT_EQ(a.tools.max_retries, b.tools.max_retries);
    EXPECT_EQ(a.tools.tool_call_max_bytes, b.tools.tool_call_max_bytes);
    EXPECT_EQ(a.tools.tool_call_marker_timeout, b.tools.tool_call_marker_timeout);
    EXPECT_EQ(a.tools.validate_json_schema, b.tools.validate_json_schema);
    ASSERT_EQ(a.tools.formats.size(), b.tools.formats.size());
    for (size_t i = 0; i < a.tools.formats.size(); ++i) {
        EXPECT_EQ(a.tools.formats[i].match, b.tools.formats[i].match) << i;
        EXPECT_EQ(a.tools.formats[i].format, b.tools.formats[i].format) << i;
    }
    EXPECT_EQ(a.tools.default_format, b.tools.default_format);
    EXPECT_EQ(a.plugins.directories, b.plugins.directories);
    EXPECT_EQ(a.plugins.load, b.plugins.load);
    EXPECT_EQ(a.chain.stages, b.chain.stages);
    EXPECT_EQ(a.plugin_config, b.plugin_config);
    EXPECT_EQ(a.aliases, b.aliases);
}

}  // namespace vep::host::testing
