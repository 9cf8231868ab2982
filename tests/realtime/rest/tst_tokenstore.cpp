// TokenStore and its backends: owner-only files, the explicit keychain -> file fallback, ordering,
// and that no secret is ever written to a log.
#include "filesecretbackend.h"
#include "logcapture.h"
#include "memorysecretbackend.h"
#include "tokenstore.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

#ifdef Q_OS_UNIX
#include <sys/stat.h>
#endif

using namespace tf;

namespace {

const QString kService = QStringLiteral("TradingFloorTest");
const QString kAccount = QStringLiteral("http://127.0.0.1:54321|trader@example.com");
const QString kSecret = QStringLiteral("rt-5ecret-v6e3qk2m4w7x-9f8a7b6c5d4e");

constexpr QFile::Permissions kModeBits = QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup
    | QFile::WriteGroup | QFile::ExeGroup | QFile::ReadOther | QFile::WriteOther | QFile::ExeOther;

QFile::Permissions modeOf(const QString &path)
{
    return QFile::permissions(path) & kModeBits;
}

// Runs one backend call and returns its result (backends may answer synchronously or later).
template<typename Call>
SecretResult runBackend(Call call)
{
    std::optional<SecretResult> result;
    call([&result](const SecretResult &r) { result = r; });
    if (!result)
        (void)QTest::qWaitFor([&result] { return result.has_value(); }, 10000);
    return result.value_or(SecretResult{SecretResult::Status::Failed, {}, QStringLiteral("no answer")});
}

// Records TokenStore callbacks in the order they arrive.
struct Recorder {
    QList<SecretResult> results;
    TokenStore::Callback callback()
    {
        return [this](const SecretResult &result) { results << result; };
    }
    bool waitFor(int count) { return QTest::qWaitFor([&] { return results.size() >= count; }, 10000); }
};

} // namespace

class TestTokenStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fileBackendIsOwnerOnly()
    {
#ifndef Q_OS_UNIX
        QSKIP("POSIX modes; on Windows the profile's ACL protects AppData");
#else
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString folder = dir.filePath(QStringLiteral("secrets"));
        FileSecretBackend backend(folder);
        // With a permissive umask a file created the ordinary way would be world-readable.
        const mode_t previous = ::umask(0);
        const SecretResult written = runBackend([&](auto done) { backend.write(kService, kAccount, kSecret, done); });
        ::umask(previous);
        QVERIFY2(written.isOk(), qPrintable(written.errorString));

        const QString path = backend.filePath(kService, kAccount);
        QVERIFY(QFile::exists(path));
        QCOMPARE(modeOf(path), QFile::ReadOwner | QFile::WriteOwner); // 0600
        QCOMPARE(modeOf(folder), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner); // 0700
        QVERIFY(!path.contains(QLatin1String("example.com"))); // no e-mail in file names
        QCOMPARE(QDir(folder).entryList(QDir::Files), QStringList{QFileInfo(path).fileName()}); // no temp file left

        const SecretResult read = runBackend([&](auto done) { backend.read(kService, kAccount, done); });
        QVERIFY(read.isOk());
        QCOMPARE(read.secret, kSecret);
#endif
    }

    void fileBackendRewritesALoosenedFileOwnerOnly()
    {
#ifndef Q_OS_UNIX
        QSKIP("POSIX modes");
#else
        QTemporaryDir dir;
        FileSecretBackend backend(dir.path());
        QVERIFY(runBackend([&](auto done) { backend.write(kService, kAccount, QStringLiteral("old"), done); }).isOk());
        const QString path = backend.filePath(kService, kAccount);
        QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther));

        // Reading tightens it first.
        const SecretResult read = runBackend([&](auto done) { backend.read(kService, kAccount, done); });
        QCOMPARE(read.secret, QStringLiteral("old"));
        QCOMPARE(modeOf(path), QFile::ReadOwner | QFile::WriteOwner);

        // Replacing it never goes through a file with wider permissions.
        QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther));
        QVERIFY(runBackend([&](auto done) { backend.write(kService, kAccount, kSecret, done); }).isOk());
        QCOMPARE(modeOf(path), QFile::ReadOwner | QFile::WriteOwner);
        QCOMPARE(runBackend([&](auto done) { backend.read(kService, kAccount, done); }).secret, kSecret);
#endif
    }

    void fileBackendRemoveAndMissing()
    {
        QTemporaryDir dir;
        FileSecretBackend backend(dir.path());
        QCOMPARE(runBackend([&](auto done) { backend.read(kService, kAccount, done); }).status, SecretResult::Status::NotFound);
        QVERIFY(runBackend([&](auto done) { backend.remove(kService, kAccount, done); }).isOk()); // nothing there: fine
        QVERIFY(runBackend([&](auto done) { backend.write(kService, kAccount, kSecret, done); }).isOk());
        QVERIFY(runBackend([&](auto done) { backend.remove(kService, kAccount, done); }).isOk());
        QVERIFY(!QFile::exists(backend.filePath(kService, kAccount)));
        // Different accounts never share a file.
        QVERIFY(backend.filePath(kService, QStringLiteral("a|x")) != backend.filePath(kService, QStringLiteral("a|y")));
    }

    void fallsBackToFilesWhenNoKeychainRuns()
    {
        QTemporaryDir dir;
        auto *keychain = new MemorySecretBackend(MemorySecretBackend::Mode::Unavailable);
        auto *files = new FileSecretBackend(dir.path());
        TokenStore store(kService, keychain, files);
        QCOMPARE(store.backendName(), QStringLiteral("memory"));
        QVERIFY(!store.usingFallback());
        QSignalSpy changed(&store, &TokenStore::backendChanged);

        LogCapture logs;
        Recorder recorder;
        store.store(kAccount, kSecret, this, recorder.callback());
        QVERIFY(recorder.results.isEmpty()); // never synchronous
        store.load(kAccount, this, recorder.callback());
        QVERIFY(recorder.waitFor(2));
        QVERIFY(recorder.results.at(0).isOk());
        QCOMPARE(recorder.results.at(1).secret, kSecret);
        QCOMPARE(changed.size(), 1);
        QVERIFY(store.usingFallback());
        QCOMPARE(store.backendName(), QStringLiteral("file"));
        QVERIFY(QFile::exists(files->filePath(kService, kAccount)));
        // The switch is announced, with where the secrets now live, and once only.
        QVERIFY2(LogCapture::text().contains(QLatin1String("keychain unavailable")), qPrintable(LogCapture::text()));
        QVERIFY(LogCapture::text().contains(dir.path()));
        QCOMPARE(LogCapture::text().count(QLatin1String("keychain unavailable")), 1);
        QVERIFY(!LogCapture::text().contains(kSecret));
        // Once switched, the keychain is not asked again.
        const int keychainOps = keychain->operations;
        store.remove(kAccount, this, recorder.callback());
        QVERIFY(recorder.waitFor(3));
        QCOMPARE(keychain->operations, keychainOps);
        QVERIFY(!QFile::exists(files->filePath(kService, kAccount)));
    }

    void deniedKeychainIsNotBypassed()
    {
        QTemporaryDir dir;
        auto *keychain = new MemorySecretBackend(MemorySecretBackend::Mode::Denied);
        auto *files = new FileSecretBackend(dir.path());
        TokenStore store(kService, keychain, files);
        Recorder recorder;
        store.store(kAccount, kSecret, this, recorder.callback());
        QVERIFY(recorder.waitFor(1));
        QCOMPARE(recorder.results.first().status, SecretResult::Status::Failed);
        QVERIFY(!recorder.results.first().errorString.isEmpty());
        QVERIFY(!store.usingFallback());
        QVERIFY(!QFile::exists(files->filePath(kService, kAccount)));
    }

    void workingKeychainLeavesNoFileCopy()
    {
        QTemporaryDir dir;
        auto *keychain = new MemorySecretBackend;
        auto *files = new FileSecretBackend(dir.path());
        // A token written to a file while the keychain was down on an earlier run:
        QVERIFY(runBackend([&](auto done) { files->write(kService, kAccount, QStringLiteral("from-file"), done); }).isOk());
        TokenStore store(kService, keychain, files);

        Recorder recorder;
        store.load(kAccount, this, recorder.callback()); // keychain empty -> found in the file
        store.store(kAccount, kSecret, this, recorder.callback());
        store.load(kAccount, this, recorder.callback());
        QVERIFY(recorder.waitFor(3));
        QCOMPARE(recorder.results.at(0).secret, QStringLiteral("from-file"));
        QVERIFY(recorder.results.at(1).isOk());
        QCOMPARE(recorder.results.at(2).secret, kSecret);
        QCOMPARE(keychain->secret(kService, kAccount), kSecret);
        QVERIFY(!QFile::exists(files->filePath(kService, kAccount))); // stale copy removed
        QVERIFY(!store.usingFallback());
    }

    void operationsCompleteInOrder()
    {
        TokenStore store(kService, new MemorySecretBackend, nullptr);
        Recorder recorder;
        store.store(kAccount, QStringLiteral("one"), this, recorder.callback());
        store.load(kAccount, this, recorder.callback());
        store.store(kAccount, QStringLiteral("two"), this, recorder.callback());
        store.load(kAccount, this, recorder.callback());
        store.remove(kAccount, this, recorder.callback());
        store.load(kAccount, this, recorder.callback());
        QVERIFY(recorder.waitFor(6));
        QCOMPARE(recorder.results.at(1).secret, QStringLiteral("one"));
        QCOMPARE(recorder.results.at(3).secret, QStringLiteral("two"));
        QVERIFY(recorder.results.at(4).isOk());
        QCOMPARE(recorder.results.at(5).status, SecretResult::Status::NotFound);
    }

    void noFallbackMeansUnavailable()
    {
        TokenStore store(kService, new MemorySecretBackend(MemorySecretBackend::Mode::Unavailable), nullptr);
        Recorder recorder;
        store.store(kAccount, kSecret, this, recorder.callback());
        QVERIFY(recorder.waitFor(1));
        QCOMPARE(recorder.results.first().status, SecretResult::Status::Unavailable);
    }

    void callbackSkippedWhenContextIsGone()
    {
        TokenStore store(kService, new MemorySecretBackend, nullptr);
        auto *context = new QObject;
        bool called = false;
        store.store(kAccount, kSecret, context, [&called](const SecretResult &) { called = true; });
        delete context;
        Recorder barrier;
        store.load(kAccount, this, barrier.callback());
        QVERIFY(barrier.waitFor(1));
        QCOMPARE(barrier.results.first().secret, kSecret); // the store itself still happened
        QVERIFY(!called);
    }

    void defaultStoreRoundTripsOnThisMachine()
    {
        // The real thing: the OS keychain if one runs, otherwise (CI, headless) the file fallback
        // under AppDataLocation, which ctest points into the test's own sandbox.
        LogCapture logs;
        TokenStore store(kService);
        Recorder recorder;
        store.store(kAccount, kSecret, this, recorder.callback());
        store.load(kAccount, this, recorder.callback());
        store.remove(kAccount, this, recorder.callback());
        store.load(kAccount, this, recorder.callback());
        QVERIFY(recorder.waitFor(4));
        QVERIFY2(recorder.results.at(0).isOk(), qPrintable(recorder.results.at(0).errorString));
        QCOMPARE(recorder.results.at(1).secret, kSecret);
        QVERIFY(recorder.results.at(2).isOk());
        QCOMPARE(recorder.results.at(3).status, SecretResult::Status::NotFound);
        qInfo("backend in use here: %s", qPrintable(store.backendName()));
        if (store.usingFallback())
            QVERIFY(TokenStore::defaultFallbackDirectory().startsWith(
                QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)));
        QVERIFY(!LogCapture::text().contains(kSecret));
    }
};

QTEST_GUILESS_MAIN(TestTokenStore)
#include "tst_tokenstore.moc"
