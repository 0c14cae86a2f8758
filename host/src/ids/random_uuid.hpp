// random_uuid(): a random (version 4) UUID in its canonical text form, 8-4-4-4-12 lowercase hex,
// drawn from OpenSSL's CSPRNG (a per-thread DRBG: no file opened and no lock shared per call, as
// Poco's UUIDGenerator does with /dev/urandom), 512 bytes per call kept per thread. Used for request ids, completion ids, session ids
// and the ids of client-API items. Throws std::runtime_error when the generator fails.
#pragma once

#include <string>

namespace vep::host {

std::string random_uuid();

}  // namespace vep::host
