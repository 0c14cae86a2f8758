// Canonical XML 1.1 without comments (W3C xml-c14n11; for the trees xml_tree.hpp accepts the
// same bytes as Canonical XML 1.0), the form XMLDSig hashes and signs.
//
// Owns: the serialisation rules — start and end tag for every element, namespace declarations
// rendered where they first appear in the output (all in-scope ones on the apex of a subtree),
// sorted before the attributes, attributes sorted by namespace URI then local name, the text and
// attribute escapes — and leaving out one element (the enveloped signature). xml:* attributes
// inherited by a subtree are refused (not needed by the RIMs, and 1.1 treats them specially).
// Called by swid_rim.cpp.
#pragma once

#include <string>

#include "xml_tree.hpp"

namespace vep::nvidia {

// The canonical form of the subtree at `apex`, without the element `skip` (may be null).
// Throws std::runtime_error for what it does not canonicalise.
std::string canonicalize(const XmlElement &apex, const XmlElement *skip);

}  // namespace vep::nvidia
