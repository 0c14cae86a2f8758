// The handler-chain contract (Envoy's filter contract). One request's stage calls never overlap:
// the request side and the attempts run on a worker thread or a blocking-task thread, the
// response side and on_complete on the relay thread that carries the answer — stages must not
// block on the response side.
//
// A Stage is one request's instance of a chain element, created by its StageFactory (built once
// per configuration generation and shared). For every chat request the pipeline calls
// on_request() on each stage in configured order; then on_attempt() on each stage in order for
// every upstream attempt (the first one and each tool-call correction), which is where the core
// `tools` stage adds its prompts and the core `encrypt` stage encrypts; then, for every event sent
// back to the client (each SSE chunk's JSON, or the buffered body), on_response_event() in
// reverse order; finally on_complete() once, however the request ended. Built-in stages
// (chain/stages/) and filter plugins (chain/plugin_filter_stage.cpp) implement the same
// interface and are registered the same way (chain/stage_registry.hpp).
#pragma once

#include <memory>
#include <string>

namespace vep::host {

class Exchange;
struct AttemptRequest;

// What a stage tells the chain. Mirrors vep::FilterStatus value for value.
//  Continue   — pass the request or event on to the next stage.
//  Stop       — the stage consumed it; later stages do not see it. On the request side the
//               request ends with the reply the stage set (500 internal_error when it set none);
//               on the response side the event is dropped — and since a buffered answer is one
//               event, dropping it withholds the answer (502 response_withheld).
//  LocalReply — Exchange::reply was set: answer the client with it now.
//  Error      — fail the request (500 internal_error unless Exchange::reply says otherwise).
enum class StageStatus { Continue = 0, Stop = 1, LocalReply = 2, Error = 3 };

// One event on its way to the client.
struct ResponseEvent {
    std::string data;        // chunk JSON (streaming) or the whole JSON body (buffered)
    bool streaming = false;  // true for SSE chunks
};

class Stage {
  public:
    virtual ~Stage() = default;
    virtual StageStatus on_request(Exchange &) { return StageStatus::Continue; }
    // Prepares one upstream attempt; throws ProxyError to fail it.
    virtual void on_attempt(Exchange &, AttemptRequest &) {}
    virtual StageStatus on_response_event(Exchange &, ResponseEvent &) { return StageStatus::Continue; }
    virtual void on_complete(Exchange &, bool /*succeeded*/) {}
};

class StageFactory {
  public:
    virtual ~StageFactory() = default;
    virtual std::unique_ptr<Stage> create() const = 0;
};

}  // namespace vep::host
