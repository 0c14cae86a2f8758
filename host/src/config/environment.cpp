// See environment.hpp.
#include "config/environment.hpp"

#include <cstring>
#include <strings.h>

extern char **environ;

namespace vep::host {

Environment Environment::from_process() {
    Environment env;
    const size_t prefix_length = std::strlen(kEnvPrefix);
    for (char **entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
        const char *text = *entry;
        if (strncasecmp(text, kEnvPrefix, prefix_length) != 0) continue;
        const char *equals = std::strchr(text, '=');
        if (equals == nullptr) continue;
        env.vars[std::string(text, equals)] = std::string(equals + 1);
    }
    return env;
}

}  // namespace vep::host
