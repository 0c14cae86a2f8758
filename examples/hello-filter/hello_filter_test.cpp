// Unit test of hello-filter through the SDK's fakes: no proxy needed.
#include <gtest/gtest.h>

#include <vep/client.hpp>
#include <vep/testing/fake_host.hpp>

extern "C" const vep_plugin_descriptor *vep_plugin_entry(const vep_host_api *, char *, size_t);

TEST(HelloFilter, AddsTheGreetingHeader) {
    vep::testing::FakeHost host;
    auto filter = vep::client::FilterClient::create(host.load(&vep_plugin_entry), R"({"greeting":"ciao"})", nullptr);
    auto stream = filter->create_stream();
    vep::testing::FakeStreamCallbacks cb;
    EXPECT_EQ(stream->on_request(cb.get()), vep::FilterStatus::Continue);
    EXPECT_EQ(cb.response_headers["X-Hello"], "ciao");
}

TEST(HelloFilter, RefusesTheForbiddenHeader) {
    vep::testing::FakeHost host;
    auto filter = vep::client::FilterClient::create(host.load(&vep_plugin_entry), R"({"forbidden_header":"X-No"})", nullptr);
    auto stream = filter->create_stream();
    vep::testing::FakeStreamCallbacks cb;
    cb.request_headers["x-no"] = "1";
    EXPECT_EQ(stream->on_request(cb.get()), vep::FilterStatus::LocalReply);
    ASSERT_TRUE(cb.local_reply);
    EXPECT_EQ(cb.local_reply->status, 403u);
}

TEST(HelloFilter, RejectsUnknownConfig) {
    vep::testing::FakeHost host;
    EXPECT_THROW(vep::client::FilterClient::create(host.load(&vep_plugin_entry), R"({"nope":1})", nullptr), vep::Failure);
}
