#pragma once

// Shared by the fuzz targets: quiet Qt logging, a check that aborts (libFuzzer reports an abort
// as a crash and keeps the input), and a reader that splits one input into several fields.

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QtGlobal>

#include <cstdio>
#include <cstdlib>

namespace tf::fuzz {

// The code under test logs every refusal; at tens of thousands of inputs a second that is only
// noise. Fatal messages (Q_ASSERT, qFatal) still abort so they count as crashes.
inline void quietQtMessages()
{
    qInstallMessageHandler([](QtMsgType type, const QMessageLogContext &, const QString &message) {
        if (type == QtFatalMsg) {
            std::fprintf(stderr, "qFatal: %s\n", message.toLocal8Bit().constData());
            std::abort();
        }
    });
}

[[noreturn]] inline void fail(const char *check, const QString &detail, const char *file, int line)
{
    std::fprintf(stderr, "%s:%d: fuzz check failed: %s\n  %s\n", file, line, check, detail.toLocal8Bit().constData());
    std::abort();
}

// Consumes an input from the front: bytes, small integers and length-prefixed chunks.
class InputReader {
public:
    InputReader(const uint8_t *data, size_t size)
        : m_data(reinterpret_cast<const char *>(data), qsizetype(size))
    {
    }

    bool atEnd() const { return m_pos >= m_data.size(); }
    quint8 byte()
    {
        return atEnd() ? 0 : quint8(m_data[m_pos++]);
    }
    quint16 u16() { return quint16(byte() | (byte() << 8)); }
    quint64 u64()
    {
        quint64 v = 0;
        for (int i = 0; i < 8; ++i)
            v |= quint64(byte()) << (8 * i);
        return v;
    }
    // Up to the next `separator` (consumed) or the end.
    QByteArray until(char separator)
    {
        const qsizetype end = m_data.indexOf(separator, m_pos);
        const qsizetype stop = end < 0 ? m_data.size() : end;
        const QByteArray chunk = m_data.sliced(m_pos, stop - m_pos).toByteArray();
        m_pos = end < 0 ? m_data.size() : end + 1;
        return chunk;
    }
    // A chunk of at most `maxLength` bytes whose length is the next byte.
    QByteArray chunk(qsizetype maxLength = 255)
    {
        const qsizetype length = qMin<qsizetype>(qMin<qsizetype>(byte(), maxLength), m_data.size() - m_pos);
        const QByteArray out = m_data.sliced(m_pos, length).toByteArray();
        m_pos += length;
        return out;
    }
    QByteArray rest()
    {
        const QByteArray out = m_data.sliced(m_pos).toByteArray();
        m_pos = m_data.size();
        return out;
    }

private:
    QByteArrayView m_data;
    qsizetype m_pos = 0;
};

} // namespace tf::fuzz

#define TF_FUZZ_CHECK(condition, detail)                                                                           \
    do {                                                                                                           \
        if (!(condition))                                                                                          \
            ::tf::fuzz::fail(#condition, (detail), __FILE__, __LINE__);                                            \
    } while (false)

// Every target defines both entry points; libFuzzer calls them, and so does replaymain.cpp.
extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv);
extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
