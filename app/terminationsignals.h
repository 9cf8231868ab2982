#pragma once

#include <QObject>

class QSocketNotifier;

namespace tf {

// SIGTERM, SIGINT and SIGHUP end the app like closing its window (the event loop quits, so the
// --dump-state file is written and the queue closes cleanly) instead of killing it mid-write.
// Unix only (self-pipe: the handler itself only writes one byte); elsewhere it does nothing.
class TerminationSignals : public QObject
{
    Q_OBJECT

public:
    explicit TerminationSignals(QObject *parent = nullptr);
    ~TerminationSignals() override;

    // Installs the handlers; false when that is not possible here.
    bool install();

Q_SIGNALS:
    void terminationRequested(int signalNumber);

private:
    void readSignal();

    QSocketNotifier *m_notifier = nullptr;
};

} // namespace tf
