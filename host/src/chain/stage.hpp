// The handler-chain contract (Envoy's filter contract). One request's stage calls never overlap:
// the request side runs on a worker thread, the response side and on_complete on the relay thread
// that carries the answer (relay/relay_job.hpp), which serves many streams — stages must not block.
//
// A Stage is one request's instance of a chain element, created by its StageFactory (built once
// per configuration generation and shared). For every chat request the chain calls on_request()
// on each stage in configured order; then, for every event sent back to the client (each SSE
// chunk's JSON, or the buffered body), on_response_event() in reverse order; finally
// on_complete() once, however the request ended. Built-in stages (chain/stages/) and filter
// plugins (chain/plugin_filter_stage.cpp) implement the same interface and are registered the same
// way (chain/stage_registry.hpp).
#pragma once

#include <memory>
#include <string>

namespace vep::host {

class Exchange;

// What a stage tells the chain. Mirrors vep::FilterStatus value for value.
enum class StageStatus {
    Continue = 0,    // request side: next stage; response side: pass the event on
    Stop = 1,        // request side: end the chain, a reply was set; response side: drop the event
    LocalReply = 2,  // Exchange::reply was set: answer the client with it now
    Error = 3        // fail the request (500 internal_error unless Exchange::reply says otherwise)
};

// One event on its way to the client.
struct ResponseEvent {
    std::string data;        // chunk JSON (streaming) or the whole JSON body (buffered)
    bool streaming = false;  // true for SSE chunks
};

class Stage {
  public:
    virtual ~Stage() = default;
    virtual StageStatus on_request(Exchange &) { return StageStatus::Continue; }
    virtual StageStatus on_response_event(Exchange &, ResponseEvent &) { return StageStatus::Continue; }
    virtual void on_complete(Exchange &, bool /*succeeded*/) {}
};

class StageFactory {
  public:
    virtual ~StageFactory() = default;
    virtual std::unique_ptr<Stage> create() const = 0;
};

}  // namespace vep::host
