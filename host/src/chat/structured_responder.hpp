// make_structured_responder(): the answer of a request with response_format json_object /
// json_schema. Each attempt is read whole (bounded like a buffered answer), its content checked
// with tools::check_structured_answer(); an answer that does not validate is sent back for one
// correction (the pipeline's retry policy, error invalid_structured_output when it fails again),
// so no unvalidated byte reaches the client. A streamed request gets its stream only after
// validation: the reasoning as one delta, the JSON as one content delta, the finish and usage chunks, [DONE].
// Called by make_responder().
#pragma once

#include <memory>

#include "chat/responder.hpp"

namespace vep::host {

std::unique_ptr<Responder> make_structured_responder(Exchange &exchange, AnswerSink &sink,
                                                     const ResponderSettings &settings);

}  // namespace vep::host
