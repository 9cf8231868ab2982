#include "phoenixmessage.h"

namespace tf {

QString vsnString(SerializerVersion version)
{
    return version == SerializerVersion::V1 ? QStringLiteral("1.0.0") : QStringLiteral("2.0.0");
}

std::optional<SerializerVersion> serializerFromVsn(QStringView vsn)
{
    if (vsn == u"1.0.0")
        return SerializerVersion::V1;
    if (vsn == u"2.0.0")
        return SerializerVersion::V2;
    return std::nullopt;
}

} // namespace tf
