#pragma once

// Captures every log message (all tradingfloor.* categories enabled down to debug) while alive,
// so a test can assert that no secret ever reaches a log.
#include <QLoggingCategory>
#include <QStringList>

class LogCapture
{
public:
    LogCapture()
    {
        s_lines.clear();
        QLoggingCategory::setFilterRules(QStringLiteral("tradingfloor.*.debug=true"));
        m_previous = qInstallMessageHandler(&LogCapture::handler);
        s_previous = m_previous;
    }
    ~LogCapture()
    {
        qInstallMessageHandler(m_previous);
        QLoggingCategory::setFilterRules(QString());
    }
    static QString text() { return s_lines.join(u'\n'); }
    static int count() { return int(s_lines.size()); }

private:
    static void handler(QtMsgType type, const QMessageLogContext &context, const QString &message)
    {
        s_lines << QString::fromLatin1(context.category ? context.category : "default") + u' ' + message;
        if (s_previous)
            s_previous(type, context, message);
    }
    inline static QStringList s_lines;
    inline static QtMessageHandler s_previous = nullptr;
    QtMessageHandler m_previous = nullptr;
};
